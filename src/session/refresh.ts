import type { Context } from "hono";
import { decodeJwt } from "jose";
import { getTokensFromRefreshToken, refreshAuth, revokeToken } from "../cognito/auth-ops";
import type { AuthenticationResult, AuthResponse } from "../cognito/schemas";
import { AuthError } from "../errors";
import { readClaims } from "../tokens/claims";
import { Revocations } from "../tokens/revocations";
import type { AppEnv } from "../types";
import { unwrapRefreshToken } from "./refresh-token";

const refused = () => new AuthError("invalid_refresh_token", "The refresh token is missing, revoked or expired.");

/** The access token's claims, when they can be read (the answer is checked again when it is delivered). */
function claimsOf(accessToken: string) {
  try {
    return readClaims(decodeJwt(accessToken));
  } catch {
    return undefined;
  }
}

/**
 * With REVOCATIONS bound, a session logged out here stays out: Cognito may
 * still honour a token of it, e.g. when logout presented a refresh token that
 * rotation had already replaced and RevokeToken found nothing to revoke. Its
 * newest refresh token is then revoked at Cognito too (best effort).
 */
async function assertSessionLive(c: Context<AppEnv>, result: AuthenticationResult, presented: string): Promise<void> {
  if (!c.env.REVOCATIONS) return;
  const claims = claimsOf(result.AccessToken);
  if (!claims || (await new Revocations(c.env.REVOCATIONS).check(claims)).state !== "revoked") return;
  await revokeToken(c.var.cognito, result.RefreshToken ?? presented).catch(() => undefined);
  throw refused();
}

/**
 * Trades a presented refresh token (ours, or a bare Cognito one) for new
 * tokens. With REFRESH_ROTATION, GetTokensFromRefreshToken, which answers a
 * new refresh token when the app client rotates them and refuses one that
 * rotation replaced (after the client's grace period). Else REFRESH_TOKEN_AUTH,
 * whose SECRET_HASH needs the Cognito username our wrapper carries.
 */
export async function refreshSession(c: Context<AppEnv>, presented: string): Promise<AuthResponse> {
  const { username, token } = unwrapRefreshToken(presented);
  const { cognito, config } = c.var;
  let out: AuthResponse;
  if (config.refreshRotation) {
    out = await getTokensFromRefreshToken(cognito, token);
  } else {
    if (config.clientSecret && !username) throw refused();
    out = await refreshAuth(cognito, username ?? "", token);
  }
  if (out.AuthenticationResult) await assertSessionLive(c, out.AuthenticationResult, token);
  return out;
}
