import type { Context } from "hono";
import { getTokensFromRefreshToken, refreshAuth } from "../cognito/auth-ops";
import type { AuthResponse } from "../cognito/schemas";
import { AuthError } from "../errors";
import type { AppEnv } from "../types";
import { refuseLoggedOutRefresh } from "./end";
import { unwrapRefreshToken } from "./refresh-token";

/**
 * Trades a presented refresh token (ours, or a bare Cognito one) for new
 * tokens. With REFRESH_ROTATION, GetTokensFromRefreshToken, which answers a
 * new refresh token when the app client rotates them and refuses one that
 * rotation replaced (after the client's grace period); it takes the client
 * secret itself. Else REFRESH_TOKEN_AUTH, whose SECRET_HASH needs the Cognito
 * username our wrapper carries.
 */
export async function refreshSession(c: Context<AppEnv>, presented: string): Promise<AuthResponse> {
  const { username, token } = unwrapRefreshToken(presented);
  const { cognito, config } = c.var;
  let out: AuthResponse;
  if (config.refreshRotation) {
    out = await getTokensFromRefreshToken(cognito, token);
  } else {
    if (config.clientSecret && !username) throw new AuthError("invalid_refresh_token");
    out = await refreshAuth(cognito, username ?? "", token);
  }
  if (out.AuthenticationResult) await refuseLoggedOutRefresh(c, out.AuthenticationResult, token);
  return out;
}
