import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AuthError } from "../errors";
import type { AccessClaims } from "../tokens/claims";
import type { AppEnv, AuthContext } from "../types";
import type { Config } from "../config";
import { type BrowserSession, clearSessionCookie, openBrowserSession, SESSION_COOKIE } from "./browser-cookie";
import { setSessionCookies } from "./browser";
import { hasCookieLike, ownCookie } from "./cookies";
import { assertAllowedOrigin } from "./csrf";
import { clearRefreshCookie, REFRESH_COOKIE } from "./refresh-cookie";
import { endedLately, liveSession } from "./renew";

/** Methods that change nothing (RFC 9110 §9.2.1): the only ones a session serves without an allowed Origin. */
const SAFE = ["GET", "HEAD", "OPTIONS"];

/** Most opened sessions held per configuration; the oldest go first. */
const MAX_OPENED = 2000;
const opened = new WeakMap<Config, Map<string, BrowserSession>>();

/**
 * The session of a cookie value, opened once per isolate as the verified-token
 * cache verifies a bearer token once: the exact sealed value is the key, so
 * nothing altered can hit, and what a session says (its end, its last check)
 * is still weighed on every request.
 */
async function openOnce(config: Config, value: string): Promise<BrowserSession | undefined> {
  let held = opened.get(config);
  if (!held) opened.set(config, (held = new Map()));
  const hit = held.get(value);
  if (hit) return hit;
  const session = await openBrowserSession(config, value);
  if (!session) return undefined;
  held.set(value, session);
  for (const key of held.keys()) {
    if (held.size <= MAX_OPENED) break;
    held.delete(key);
  }
  return session;
}

/**
 * Whether this request authenticates with a browser session: SESSION_MODE=browser,
 * no Authorization header, a session cookie (or one that passes for it, which
 * sessionCaller then refuses).
 */
export const hasSession = (c: Context<AppEnv>): boolean =>
  c.get("config")?.sessionMode === "browser" && c.req.header("Authorization") === undefined && hasCookieLike(c, SESSION_COOKIE);

/** The Worker's SessionAuth (require-auth.ts): a browser session's caller, when the request carries one. */
const sessionAuth = (c: Context<AppEnv>, verify: (token: string) => Promise<AccessClaims>, forwarded: boolean) =>
  hasSession(c) ? sessionCaller(c, verify, forwarded) : undefined;

/** With SESSION_MODE=browser, requireAuth and the gateway take a browser session in place of a bearer token. Needs withConfig first. */
export const withSessions = () =>
  createMiddleware<AppEnv>(async function withSessions(c, next) {
    if (c.var.config.sessionMode === "browser") c.set("sessionAuth", sessionAuth);
    await next();
  });

/**
 * A request of a browser session that Cognito refused as unauthorized (a
 * route's call with the session's token, after a sign-out elsewhere): the
 * session is over, and its cookies go with the 401. For app.onError.
 */
export function dropRefusedSession(c: Context<AppEnv>, err: AuthError): void {
  if (err.code === "unauthorized" && c.var.session) endHere(c, "refused by Cognito");
}

/** The session is over: its cookies go, and the answer is 401. */
function endHere(c: Context<AppEnv>, reason: string, err?: unknown): AuthError {
  clearSessionCookie(c);
  clearRefreshCookie(c);
  c.set("session", undefined);
  if (err instanceof AuthError && err.status === 401) return new AuthError("unauthorized", err.detail, { cause: err.cause });
  return new AuthError("unauthorized", "The session has ended; sign in again.", { cause: { reason } });
}

/**
 * The caller of a request that carries a browser session (hasSession): the
 * access token the session keeps, refreshed or confirmed by Cognito when due
 * (renew.ts; the new cookies go on the answer), then verified as a bearer
 * token is (`verify`: expiry, REVOCATIONS). Unsafe methods need an allowed
 * Origin (CSRF); `forwarded`: for the gateway, where the upstream's own
 * origin may send them. A cookie this Worker did not seal, or a second
 * cookie of our names beside ours, is refused before Cognito is asked anything.
 */
export async function sessionCaller(c: Context<AppEnv>, verify: (token: string) => Promise<AccessClaims>, forwarded = false): Promise<AuthContext> {
  if (!SAFE.includes(c.req.method)) assertAllowedOrigin(c, forwarded);
  // A browser sends one __Host- cookie of a name; a second, or a look-alike, was planted by a sibling host (session swap).
  const own = ownCookie(c, SESSION_COOKIE);
  const refresh = ownCookie(c, REFRESH_COOKIE);
  if (own.planted || refresh.planted) throw endHere(c, "cookie planted beside ours");
  // c.get, not c.var: hono builds a new object of all variables for every c.var.
  let session = await openOnce(c.get("config"), own.value ?? "");
  if (!session) throw endHere(c, "session not sealed here");
  if (session.endsAt <= Date.now() / 1000) throw endHere(c, "session over");
  // A session ended in this isolate lately is refused there (401), before any Cognito call.
  const renewed = await liveSession(c, session, refresh.value).catch((err: unknown) => {
    throw err instanceof AuthError && err.status === 401 ? endHere(c, "refused", err) : err;
  });
  if (renewed) {
    session = renewed.session;
    if (endedLately(session.accessToken)) throw endHere(c, "session ended here");
    setSessionCookies(c, renewed.cookies);
    c.set("sessionCookies", renewed.cookies);
  }
  c.set("session", session);
  try {
    return { token: session.accessToken, claims: await verify(session.accessToken) };
  } catch (err) {
    if (err instanceof AuthError && err.status === 401) throw endHere(c, "access token refused", err);
    throw err;
  }
}
