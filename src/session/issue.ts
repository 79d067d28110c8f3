import type { Context } from "hono";
import { decodeJwt, type JWTPayload } from "jose";
import type { ChallengeAnswer, Tokens } from "../answers";
import type { AuthenticationResult, AuthResponse } from "../cognito/schemas";
import { AuthError } from "../errors";
import { trustDevice } from "../limits/enforce";
import { CHALLENGES } from "../schemas";
import { keysOf, sealFor } from "../seal/context";
import { refreshed, signedIn } from "../sessions/hooks";
import type { AppEnv } from "../types";
import { setRefreshCookie } from "./refresh-cookie";
import { newSid, wrapRefreshToken } from "./refresh-token";

// Every way a session begins: a sign-in (password, challenge, one-time code or
// passkey, the sign-in after a password change or on confirmation), a refresh,
// and the hosted UI's callback.

function accessClaims(token: string) {
  try {
    return decodeJwt(token);
  } catch {
    throw new AuthError("upstream_unavailable", { cause: { reason: "access token not a JWT" } });
  }
}

/**
 * Our refresh token: Cognito's, sealed with the access token's `username`
 * claim (else its `sub`), so that a later refresh can compute SECRET_HASH,
 * and the session's id `sid`.
 */
const wrapFor = (c: Context<AppEnv>, claims: JWTPayload, refreshToken: string, sid: string) =>
  wrapRefreshToken(
    keysOf(c.var.config),
    c.var.config.clientId,
    typeof claims.username === "string" ? claims.username : String(claims.sub ?? ""),
    refreshToken,
    sid,
  );

/**
 * The session these tokens belong to, told to the session registry: the one
 * a refresh continues (refresh.ts), else a new one. Answers its id. The
 * registry always gets the refresh token in force (the rotated one, else the
 * one presented), so that it can revoke it, sealed under the current secret.
 */
async function recordSession(c: Context<AppEnv>, claims: JWTPayload, refreshToken: string | undefined): Promise<string> {
  const continued = c.var.refreshing;
  if (continued) {
    await refreshed(c, continued.sid, claims, refreshToken ?? continued.token, refreshToken);
    return continued.sid;
  }
  const sid = newSid();
  if (refreshToken) await signedIn(c, sid, claims, refreshToken);
  return sid;
}

/**
 * Shapes Cognito's AuthenticationResult for the client and delivers a refresh
 * token (new or rotated) by cookie, body or both (REFRESH_TOKEN_DELIVERY).
 * `extra` fields join the tokens in the body (verify's `confirmed`).
 */
async function issueTokens(c: Context<AppEnv>, result: AuthenticationResult, extra: Record<string, unknown>): Promise<Response> {
  const claims = accessClaims(result.AccessToken);
  const expiresIn =
    result.ExpiresIn ??
    (typeof claims.exp === "number" && typeof claims.iat === "number" ? claims.exp - claims.iat : 3600);
  const body: Tokens = {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    expiresIn,
    tokenType: "Bearer",
  };
  const sid = await recordSession(c, claims, result.RefreshToken);
  if (result.RefreshToken) {
    const wrapped = await wrapFor(c, claims, result.RefreshToken, sid);
    const mode = c.var.config.refreshDelivery;
    if (mode !== "body") setRefreshCookie(c, wrapped);
    if (mode !== "cookie") body.refreshToken = wrapped;
  }
  c.header("Cache-Control", "no-store");
  return c.json({ ...extra, ...body }, 200);
}

/**
 * Answers an InitiateAuth / RespondToAuthChallenge outcome: tokens or the next
 * challenge, whose session is Cognito's sealed for `account`. Tokens for a
 * sign-in to `account` (not a refresh) also mark this browser as a device
 * that signed in to it.
 */
export async function answerAuth(c: Context<AppEnv>, out: AuthResponse, account?: string, extra: Record<string, unknown> = {}): Promise<Response> {
  if (out.AuthenticationResult) {
    if (account) trustDevice(c, account);
    return issueTokens(c, out.AuthenticationResult, extra);
  }
  const challenge = CHALLENGES.find((name) => name === out.ChallengeName);
  if (challenge && out.Session && account) {
    const session = await sealFor(c.var.config, challenge, account, out.Session);
    c.header("Cache-Control", "no-store");
    return c.json({ challenge, session } satisfies ChallengeAnswer, 200);
  }
  throw new AuthError("internal_error", { cause: { reason: "unsupported challenge", challenge: out.ChallengeName ?? "none" } });
}

/**
 * The hosted UI's sign-in, its access token verified (`claims`). Whatever
 * REFRESH_TOKEN_DELIVERY says, tokens never go into a URL: only the refresh
 * cookie is set, and the page then calls POST /auth/refresh.
 */
export async function issueRedirectSignIn(c: Context<AppEnv>, claims: JWTPayload, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  const sid = newSid();
  await signedIn(c, sid, claims, refreshToken);
  setRefreshCookie(c, await wrapFor(c, claims, refreshToken, sid));
}
