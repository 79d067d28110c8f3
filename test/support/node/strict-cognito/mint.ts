// Tokens for the sign-ins cognito-local cannot make itself (USER_AUTH with a
// one-time code, a passkey or a sign-up session: it only knows passwords),
// shaped and signed as cognito-local's own, so that the Worker verifies them
// with the same JWKS. Their refresh tokens are unknown to cognito-local, so
// REFRESH_TOKEN_AUTH and RevokeToken for them are answered here (see
// StrictCognito.forward): to everything behind forward() they look like
// cognito-local's.
import { randomUUID } from "node:crypto";
import { type Answer, fail, type Json } from "./emulated";
import { signLikeCognitoLocal } from "./reissue";
import type { Users } from "./users";

/** cognito-local's defaults for a client without token validity settings. */
const ACCESS_TTL_S = 24 * 3600;
const REFRESH_TTL_S = 7 * 24 * 3600;

interface Minted {
  poolId: string;
  clientId: string;
  username: string;
  revoked: boolean;
}

export class Minter {
  private readonly refreshTokens = new Map<string, Minted>();

  /** `issuerBase`: cognito-local's URL; tokens are issued by `<issuerBase>/<poolId>`. */
  constructor(
    private readonly users: Users,
    private readonly issuerBase: string,
  ) {}

  /** A sign-in's AuthenticationResult for `username`, with a new refresh token. */
  async signIn(poolId: string, clientId: string, username: string): Promise<Answer> {
    const tokens = await this.tokens(poolId, clientId, username);
    if (!tokens) return fail("NotAuthorizedException", "Incorrect username or password.");
    const now = Math.floor(Date.now() / 1000);
    const refresh = await signLikeCognitoLocal({
      "cognito:username": username,
      iat: now,
      exp: now + REFRESH_TTL_S,
      jti: randomUUID(),
      iss: `${this.issuerBase}/${poolId}`,
    });
    this.refreshTokens.set(refresh, { poolId, clientId, username, revoked: false });
    return { status: 200, body: { ChallengeParameters: {}, AuthenticationResult: { ...tokens, RefreshToken: refresh } } };
  }

  /** The answer to a call about a refresh token minted here, or undefined when the call is not one. */
  async answer(op: string, input: Json): Promise<Answer | undefined> {
    const params = input.AuthParameters as Json | undefined;
    const token = op === "RevokeToken" ? input.Token : params?.REFRESH_TOKEN;
    const minted = typeof token === "string" ? this.refreshTokens.get(token) : undefined;
    if (!minted) return undefined;
    if (op === "RevokeToken") {
      minted.revoked = true;
      return { status: 200, body: {} };
    }
    const refreshFlow = input.AuthFlow === "REFRESH_TOKEN_AUTH" || input.AuthFlow === "REFRESH_TOKEN";
    if (op !== "InitiateAuth" || !refreshFlow) return undefined;
    const tokens = minted.revoked ? undefined : await this.tokens(minted.poolId, String(input.ClientId), minted.username);
    if (!tokens) return fail("NotAuthorizedException", "Invalid Refresh Token");
    return { status: 200, body: { ChallengeParameters: {}, AuthenticationResult: tokens } };
  }

  /** Access and ID tokens with the claims cognito-local puts in them (and AWS's phone_number claims). */
  private async tokens(poolId: string, clientId: string, username: string): Promise<Json | undefined> {
    const user = await this.users.find(poolId, username);
    if (!user?.enabled) return undefined;
    const groups = await this.users.groups(poolId, username);
    const now = Math.floor(Date.now() / 1000);
    const a = user.attributes;
    const common = { auth_time: now, iat: now, exp: now + ACCESS_TTL_S, event_id: randomUUID(), sub: a.sub, iss: `${this.issuerBase}/${poolId}` };
    const withGroups = groups.length ? { "cognito:groups": groups } : {};
    const access = {
      ...common,
      ...withGroups,
      client_id: clientId,
      jti: randomUUID(),
      scope: "aws.cognito.signin.user.admin",
      token_use: "access",
      username,
    };
    const custom = Object.fromEntries(Object.entries(a).filter(([name]) => name.startsWith("custom:")));
    const id = {
      ...common,
      ...withGroups,
      ...custom,
      "cognito:username": username,
      aud: clientId,
      jti: randomUUID(),
      token_use: "id",
      ...(a.email ? { email: a.email, email_verified: a.email_verified === "true" } : {}),
      ...(a.phone_number ? { phone_number: a.phone_number, phone_number_verified: a.phone_number_verified === "true" } : {}),
    };
    return {
      AccessToken: await signLikeCognitoLocal(access),
      IdToken: await signLikeCognitoLocal(id),
      ExpiresIn: ACCESS_TTL_S,
      TokenType: "Bearer",
    };
  }
}

