import * as z from "zod/mini";
import { AuthError } from "../errors";
import type { Cognito, JsonObject } from "./client";
import { toAttributeList } from "./attributes";
import { AuthenticationResult, AuthResponse, CodeDelivery, parseResponse } from "./schemas";

/**
 * Completes the input of an unauthenticated operation that takes both: SecretHash
 * when the client has a secret, UserContextData when the request carries some.
 */
async function withClientContext(cognito: Cognito, username: string, input: JsonObject): Promise<JsonObject> {
  return { ...input, SecretHash: await cognito.secretHash(username), UserContextData: cognito.userContext };
}

/**
 * Cognito's PasswordType: whitespace at either end is refused before any
 * policy check (the service's pattern ^[\S]+.*[\S]+$). A new password that
 * fails it fails the policy; `wrong` is the error for a current one. Matched by
 * code point (`u`), as Java matches it: one astral character is not two.
 */
export function assertPasswordType(password: string, wrong?: AuthError): void {
  if (!/^[^ \t-\r]+.*[^ \t-\r]+$/u.test(password)) {
    throw wrong ?? new AuthError("weak_password");
  }
}

const SignUpResponse = z.lazy(() => z.object({
  UserSub: z.string(),
  UserConfirmed: z.boolean(),
  CodeDeliveryDetails: z.optional(CodeDelivery),
}));

/** SignUp: registers `email` with `password` and attributes. */
export async function signUp(cognito: Cognito, email: string, password: string, attributes: Record<string, string>) {
  assertPasswordType(password);
  const input = await withClientContext(cognito, email, {
    ClientId: cognito.config.clientId,
    Username: email,
    Password: password,
    UserAttributes: toAttributeList({ ...attributes, email }),
  });
  return parseResponse(SignUpResponse, await cognito.call("SignUp", input, "register"), "SignUp");
}

/** ConfirmSignUp: proves the email address with the emailed code. */
export async function confirmSignUp(cognito: Cognito, email: string, code: string): Promise<void> {
  const input = await withClientContext(cognito, email, {
    ClientId: cognito.config.clientId,
    Username: email,
    ConfirmationCode: code,
  });
  await cognito.call("ConfirmSignUp", input, "code");
}

/** ResendConfirmationCode: sends a new sign-up code. */
export async function resendConfirmationCode(cognito: Cognito, email: string): Promise<void> {
  const input = await withClientContext(cognito, email, { ClientId: cognito.config.clientId, Username: email });
  await cognito.call("ResendConfirmationCode", input, "code");
}

/** ForgotPassword: sends a password-reset code. */
export async function forgotPassword(cognito: Cognito, email: string): Promise<void> {
  const input = await withClientContext(cognito, email, { ClientId: cognito.config.clientId, Username: email });
  await cognito.call("ForgotPassword", input, "code");
}

/** ConfirmForgotPassword: sets a new password with the reset code. */
export async function confirmForgotPassword(cognito: Cognito, email: string, code: string, password: string) {
  assertPasswordType(password);
  const input = await withClientContext(cognito, email, {
    ClientId: cognito.config.clientId,
    Username: email,
    ConfirmationCode: code,
    Password: password,
  });
  await cognito.call("ConfirmForgotPassword", input, "code");
}

async function initiateAuth(cognito: Cognito, flow: string, username: string, params: Record<string, string>) {
  const hash = await cognito.secretHash(username);
  const input = {
    AuthFlow: flow,
    ClientId: cognito.config.clientId,
    AuthParameters: hash ? { ...params, SECRET_HASH: hash } : params,
    UserContextData: cognito.userContext,
  };
  const context = flow === "REFRESH_TOKEN_AUTH" ? "refresh" : "login";
  return parseResponse(AuthResponse, await cognito.call("InitiateAuth", input, context), "InitiateAuth");
}

/** InitiateAuth USER_PASSWORD_AUTH. */
export const passwordAuth = (cognito: Cognito, email: string, password: string) =>
  initiateAuth(cognito, "USER_PASSWORD_AUTH", email, { USERNAME: email, PASSWORD: password });

/**
 * InitiateAuth REFRESH_TOKEN_AUTH. With a client secret, SECRET_HASH must be
 * computed over the user's Cognito username (the `username` claim), not the email.
 */
export const refreshAuth = (cognito: Cognito, username: string, refreshToken: string) =>
  initiateAuth(cognito, "REFRESH_TOKEN_AUTH", username, { REFRESH_TOKEN: refreshToken });

const TokensResponse = z.lazy(() => z.object({ AuthenticationResult }));

/**
 * GetTokensFromRefreshToken: new tokens, and a new refresh token when the app
 * client rotates them (RefreshTokenRotationType), which REFRESH_TOKEN_AUTH
 * cannot do. It takes the client secret itself, not SECRET_HASH, so it needs
 * no username.
 */
export async function getTokensFromRefreshToken(cognito: Cognito, refreshToken: string) {
  const { clientId, clientSecret } = cognito.config;
  const input: JsonObject = { RefreshToken: refreshToken, ClientId: clientId, ClientSecret: clientSecret };
  const out = await cognito.call("GetTokensFromRefreshToken", input, "refresh");
  return parseResponse(TokensResponse, out, "GetTokensFromRefreshToken");
}

/** RespondToAuthChallenge: answers `challenge` with `responses`. */
export async function respondToAuthChallenge(
  cognito: Cognito,
  email: string,
  challenge: string,
  session: string,
  responses: Record<string, string>,
) {
  const hash = await cognito.secretHash(email);
  const input = {
    ClientId: cognito.config.clientId,
    ChallengeName: challenge,
    Session: session,
    ChallengeResponses: { USERNAME: email, ...responses, ...(hash ? { SECRET_HASH: hash } : {}) },
    UserContextData: cognito.userContext,
  };
  const out = await cognito.call("RespondToAuthChallenge", input, "challenge");
  return parseResponse(AuthResponse, out, "RespondToAuthChallenge");
}

/** RevokeToken: revokes a refresh token and the access tokens issued from it. */
export async function revokeToken(cognito: Cognito, refreshToken: string): Promise<void> {
  const { clientId, clientSecret } = cognito.config;
  const input: JsonObject = { Token: refreshToken, ClientId: clientId };
  if (clientSecret) input.ClientSecret = clientSecret;
  await cognito.call("RevokeToken", input, "revoke");
}
