import type { Context } from "hono";
import { decodeJwt, type JWTPayload } from "jose";
import type { SessionAnswer } from "../answers";
import type { AuthenticationResult } from "../cognito/schemas";
import { AuthError } from "../errors";
import type { AppEnv } from "../types";
import {
  type BrowserSession,
  displayName,
  EMAIL_BYTES,
  openBrowserSession,
  PHONE_BYTES,
  sealBrowserSession,
  sessionCookieOf,
  sessionSetCookie,
  within,
} from "./browser-cookie";
import { REFRESH_LIFE_S, refreshSetCookie } from "./refresh-cookie";

// SESSION_MODE=browser: a sign-in from a browser answers a session, never a
// token. The tokens stay at the edge (browser-cookie.ts); the page gets what
// it renders.

/**
 * Whether this request's sign-in answers a session: SESSION_MODE=browser and
 * the request comes from a browser, which sends `Origin` on every POST and
 * `Sec-Fetch-Site` on every request, and no script can remove either (Fetch
 * standard, forbidden request headers). Clients that are no browser (mobile,
 * servers) send neither and still get tokens.
 */
export const wantsSession = (c: Context<AppEnv>): boolean =>
  c.var.config.sessionMode === "browser" && (c.req.header("Origin") !== undefined || c.req.header("Sec-Fetch-Site") !== undefined);

/** The most a browser keeps of one cookie: name, value and attributes (RFC 6265 §6.1, what browsers implement). */
export const MAX_COOKIE_BYTES = 4096;

/** A session's new cookies (session, and the refresh token when one was issued) and what the page gets. */
export interface SessionIssue {
  session: BrowserSession;
  cookies: string[];
  body: SessionAnswer;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** An issue's cookies over 4096 bytes (sessionFits). */
const OVERSIZE = "session cookie over 4096 bytes";
/** Whether `err` is issueSession's refusal of a cookie a browser would drop. */
export const isOversize = (err: unknown): boolean => err instanceof AuthError && err.cause?.reason === OVERSIZE;

function idClaims(idToken: string | undefined): JWTPayload {
  if (!idToken) return {};
  try {
    return decodeJwt(idToken);
  } catch {
    return {};
  }
}

/**
 * The session of tokens Cognito just issued (`access`: the access token's
 * claims; `refreshToken`: ours, sealed), sealed into cookies. `previous`: the
 * session they renew, whose original sign-in time and profile they keep.
 */
export async function issueSession(
  c: Context<AppEnv>,
  result: AuthenticationResult,
  access: JWTPayload,
  refreshToken: string | undefined,
  previous?: BrowserSession,
): Promise<SessionIssue> {
  const now = Math.floor(Date.now() / 1000);
  const id = idClaims(result.IdToken);
  const sub = String(access.sub ?? "");
  const kept = previous?.sub === sub ? previous : undefined;
  const signedIn = typeof access.auth_time === "number" ? access.auth_time : undefined;
  const authTime = kept?.authTime !== undefined && signedIn !== undefined ? Math.min(kept.authTime, signedIn) : (kept?.authTime ?? signedIn);
  const session: BrowserSession = {
    accessToken: result.AccessToken,
    sub,
    email: within(text(id.email) ?? kept?.email, EMAIL_BYTES),
    phone: within(text(id.phone_number) ?? kept?.phone, PHONE_BYTES),
    name: displayName(text(id.name) ?? kept?.name),
    authTime,
    // A new refresh token lives its whole life from now; else the session ends when the kept one does.
    endsAt: refreshToken || !kept ? now + REFRESH_LIFE_S : kept.endsAt,
    checkedAt: now,
  };
  const cookies = [sessionSetCookie(await sealBrowserSession(c.var.config, session), session.endsAt - now)];
  if (refreshToken) cookies.push(refreshSetCookie(refreshToken));
  // A browser drops a cookie over 4096 bytes without a word (RFC 6265 §6.1): say so here instead.
  if (cookies.some((cookie) => cookie.length > MAX_COOKIE_BYTES)) {
    throw new AuthError("internal_error", { cause: { reason: OVERSIZE } });
  }
  const listed = access["cognito:groups"];
  const groups = Array.isArray(listed) ? listed.filter((g): g is string => typeof g === "string") : [];
  const body: SessionAnswer = {
    sub,
    ...(session.email ? { email: session.email } : {}),
    ...(session.phone ? { phone: session.phone } : {}),
    ...(session.name ? { name: session.name } : {}),
    groups,
    expiresAt: new Date(session.endsAt * 1000).toISOString(),
  };
  return { session, cookies, body };
}

/** Puts a session's cookies on this request's answer. */
export function setSessionCookies(c: Context<AppEnv>, cookies: string[]): void {
  for (const cookie of cookies) c.header("Set-Cookie", cookie, { append: true });
}

/** The session the request's cookie holds, when it opens: a sign-in or refresh keeps its original sign-in time. */
export async function currentSession(c: Context<AppEnv>): Promise<BrowserSession | undefined> {
  const value = sessionCookieOf(c);
  return value ? openBrowserSession(c.var.config, value) : undefined;
}
