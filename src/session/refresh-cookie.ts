import type { Context } from "hono";
import type { AppEnv } from "../types";
import { cookieString, readCookie, writeCookie } from "./cookies";
import { assertAllowedOrigin } from "./csrf";

export const REFRESH_COOKIE = "__Host-refresh";
/** Cognito's default refresh-token validity (30 days); the cookie never outlives the token. */
export const REFRESH_MAX_AGE_S = 30 * 24 * 3600;

/** Cognito's default refresh-token validity, as the most a session lasts (s). */
export const REFRESH_LIFE_S = REFRESH_MAX_AGE_S;

/** The Set-Cookie of a refresh cookie, with the attributes of docs/API.md. */
export const refreshSetCookie = (value: string): string => cookieString(REFRESH_COOKIE, value, { sameSite: "Strict", maxAge: REFRESH_MAX_AGE_S });

/** Sets the refresh cookie with the attributes of docs/API.md. */
export function setRefreshCookie(c: Context<AppEnv>, value: string): void {
  c.header("Set-Cookie", refreshSetCookie(value), { append: true });
}

/** Expires the refresh cookie. */
export function clearRefreshCookie(c: Context<AppEnv>): void {
  writeCookie(c, REFRESH_COOKIE, "", { sameSite: "Strict", maxAge: 0 });
}

/** The refresh token of a request: from the body, else from the cookie, which only an allowed origin may use. */
export function refreshTokenOf(c: Context<AppEnv>, fromBody: string | undefined): string | undefined {
  if (fromBody) return fromBody;
  const cookie = readCookie(c, REFRESH_COOKIE);
  if (!cookie) return undefined;
  assertAllowedOrigin(c);
  return cookie;
}
