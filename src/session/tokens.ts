import type { Context } from "hono";
import { decodeJwt } from "jose";
import type { Tokens } from "../answers";
import type { AuthenticationResult } from "../cognito/schemas";
import { AuthError } from "../errors";
import type { AppEnv } from "../types";
import { setRefreshCookie, wrapRefreshToken } from "./refresh-token";

function accessClaims(token: string) {
  try {
    return decodeJwt(token);
  } catch (cause) {
    throw new AuthError("upstream_unavailable", "The user pool gave an unexpected answer; retry later.", { cause });
  }
}

/**
 * Shapes Cognito's AuthenticationResult for the client and delivers a refresh
 * token (new or rotated) by cookie, body or both, wrapped with the access
 * token's `username` claim so that a later refresh can compute SECRET_HASH.
 * `extra` fields join the tokens in the body (verify's `confirmed`).
 */
export function deliverTokens(c: Context<AppEnv>, result: AuthenticationResult, extra: Record<string, unknown> = {}): Response {
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
  if (result.RefreshToken) {
    const username = typeof claims.username === "string" ? claims.username : String(claims.sub ?? "");
    const wrapped = wrapRefreshToken(username, result.RefreshToken);
    const mode = c.var.config.refreshDelivery;
    if (mode !== "body") setRefreshCookie(c, wrapped);
    if (mode !== "cookie") body.refreshToken = wrapped;
  }
  c.header("Cache-Control", "no-store");
  return c.json({ ...extra, ...body }, 200);
}
