import type { Context } from "hono";
import { base64url, fromBase64url } from "../encoding";
import { AuthError } from "../errors";
import type { AppEnv } from "../types";
import { readCookie, writeCookie } from "./cookies";

export const REFRESH_COOKIE = "__Host-refresh";
/** Cognito's default refresh-token validity (30 days); the cookie never outlives the token. */
export const REFRESH_MAX_AGE_S = 30 * 24 * 3600;

const PREFIX = "ce1.";

/**
 * The opaque refresh token we hand out: Cognito's token plus the user's Cognito
 * username, which REFRESH_TOKEN_AUTH needs for SECRET_HASH when the client has a
 * secret. The username is the user's `sub` in email pools and is no secret; a
 * tampered one only makes Cognito refuse the refresh.
 */
export const wrapRefreshToken = (username: string, token: string): string => `${PREFIX}${base64url(username)}.${token}`;

/** Cognito's TokenModelType: a string of other characters is none of its tokens, and RevokeToken refuses it. */
const COGNITO_TOKEN = /^[\w=.-]+$/;

/** Splits our opaque refresh token; a bare Cognito token has no username. */
export function unwrapRefreshToken(value: string): { username?: string; token: string } {
  if (!value.startsWith(PREFIX)) {
    if (!COGNITO_TOKEN.test(value)) throw badRefresh();
    return { token: value };
  }
  const rest = value.slice(PREFIX.length);
  const dot = rest.indexOf(".");
  if (dot < 1 || !COGNITO_TOKEN.test(rest.slice(dot + 1))) throw badRefresh();
  try {
    return { username: new TextDecoder().decode(fromBase64url(rest.slice(0, dot))), token: rest.slice(dot + 1) };
  } catch {
    throw badRefresh();
  }
}

const badRefresh = () => new AuthError("invalid_refresh_token");

/** Sets the refresh cookie with the attributes of docs/API.md. */
export function setRefreshCookie(c: Context<AppEnv>, value: string): void {
  writeCookie(c, REFRESH_COOKIE, value, { sameSite: "Strict", maxAge: REFRESH_MAX_AGE_S });
}

/** Expires the refresh cookie. */
export function clearRefreshCookie(c: Context<AppEnv>): void {
  writeCookie(c, REFRESH_COOKIE, "", { sameSite: "Strict", maxAge: 0 });
}

/**
 * The refresh token of a request: from the body, else from the cookie. A
 * cookie-authenticated request must come from an allowed origin (CSRF defence).
 */
export function refreshTokenOf(c: Context<AppEnv>, fromBody: string | undefined): string | undefined {
  if (fromBody) return fromBody;
  const cookie = readCookie(c, REFRESH_COOKIE);
  if (!cookie) return undefined;
  const origin = c.req.header("Origin");
  const own = new URL(c.req.url).origin;
  if (!origin || (origin !== own && !c.var.config.corsOrigins.includes(origin))) {
    throw new AuthError("forbidden", "Requests that use the refresh cookie must come from an allowed origin.");
  }
  return cookie;
}
