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
  Session: z.optional(z.string()),
}));

/**
 * SignUp: registers `username` (the email address, else the phone number) with
 * `attributes` (email, phone_number, ...) and `password`, or none: a passwordless
 * account, which the pool allows when one-time codes are a first factor.
 */
export async function signUp(cognito: Cognito, username: string, password: string | undefined, attributes: Record<string, string>) {
  if (password !== undefined) assertPasswordType(password);
  const input = await withClientContext(cognito, username, {
    ClientId: cognito.config.clientId,
    Username: username,
    Password: password,
    UserAttributes: toAttributeList(attributes),
  });
  return parseResponse(SignUpResponse, await cognito.call("SignUp", input, "register"), "SignUp");
}

const ConfirmSignUpResponse = z.lazy(() => z.object({ Session: z.optional(z.string()) }));

/**
 * ConfirmSignUp: proves the email address or phone number with its code. With
 * SignUp's `session`, Cognito answers a Session that signs the user in (USER_AUTH).
 */
export async function confirmSignUp(cognito: Cognito, username: string, code: string, session?: string) {
  const input = await withClientContext(cognito, username, {
    ClientId: cognito.config.clientId,
    Username: username,
    ConfirmationCode: code,
    Session: session,
  });
  return parseResponse(ConfirmSignUpResponse, await cognito.call("ConfirmSignUp", input, "confirm"), "ConfirmSignUp");
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

async function initiateAuth(cognito: Cognito, flow: string, username: string, params: Record<string, string>, session?: string) {
  const hash = await cognito.secretHash(username);
  const input = {
    AuthFlow: flow,
    ClientId: cognito.config.clientId,
    AuthParameters: hash ? { ...params, SECRET_HASH: hash } : params,
    Session: session,
    UserContextData: cognito.userContext,
  };
  const context = flow === "REFRESH_TOKEN_AUTH" ? "refresh" : "login";
  return parseResponse(AuthResponse, await cognito.call("InitiateAuth", input, context), "InitiateAuth");
}

/** InitiateAuth USER_PASSWORD_AUTH; `username` is the email address or the phone number. */
export const passwordAuth = (cognito: Cognito, username: string, password: string) =>
  initiateAuth(cognito, "USER_PASSWORD_AUTH", username, { USERNAME: username, PASSWORD: password });

/**
 * InitiateAuth USER_AUTH (choice-based sign-in): PREFERRED_CHALLENGE and PASSWORD
 * when given; with ConfirmSignUp's `session`, the sign-in that follows confirmation.
 */
export const choiceAuth = (cognito: Cognito, username: string, params: Record<string, string>, session?: string) =>
  initiateAuth(cognito, "USER_AUTH", username, { USERNAME: username, ...params }, session);

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

/** RespondToAuthChallenge: answers `challenge` with `responses`; `username` as the sign-in began. */
export async function respondToAuthChallenge(
  cognito: Cognito,
  username: string,
  challenge: string,
  session: string,
  responses: Record<string, string>,
) {
  const hash = await cognito.secretHash(username);
  const input = {
    ClientId: cognito.config.clientId,
    ChallengeName: challenge,
    Session: session,
    ChallengeResponses: { USERNAME: username, ...responses, ...(hash ? { SECRET_HASH: hash } : {}) },
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
