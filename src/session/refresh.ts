import type { Context } from "hono";
import { getTokensFromRefreshToken, refreshAuth } from "../cognito/auth-ops";
import type { AuthResponse } from "../cognito/schemas";
import { limitRefresh } from "../limits/enforce";
import { keysOf } from "../seal/context";
import type { AppEnv } from "../types";
import { refuseLoggedOutRefresh } from "./end";
import { unwrapRefreshToken } from "./refresh-token";

/**
 * Trades a presented refresh token for new tokens. Only a token this Worker
 * sealed reaches Cognito (refresh-token.ts). With REFRESH_ROTATION, GetTokensFromRefreshToken, which answers a
 * new refresh token when the app client rotates them and refuses one that
 * rotation replaced (after the client's grace period); it takes the client
 * secret itself. Else REFRESH_TOKEN_AUTH, whose SECRET_HASH needs the Cognito
 * username our wrapper carries.
 */
export async function refreshSession(c: Context<AppEnv>, presented: string): Promise<AuthResponse> {
  const { cognito, config } = c.var;
  const { username, token, sid, current } = await unwrapRefreshToken(keysOf(c.var.config), config.clientId, presented);
  // The tokens this answers continue session `sid` (issue.ts tells the session registry).
  c.set("refreshing", { sid, token });
  await limitRefresh(c, username);
  const out = config.refreshRotation ? await getTokensFromRefreshToken(cognito, token) : await refreshAuth(cognito, username, token);
  const result = out.AuthenticationResult;
  if (!result) return out;
  await refuseLoggedOutRefresh(c, result, token);
  // Sealed under the previous secret: the same token goes back sealed under the current one, before that secret retires.
  return !result.RefreshToken && !current ? { ...out, AuthenticationResult: { ...result, RefreshToken: token } } : out;
}
