import type { Context } from "hono";
import { decodeJwt } from "jose";
import type { AuthenticationResult } from "../cognito/schemas";
import { getUser } from "../cognito/user-ops";
import { AuthError } from "../errors";
import { cognitoOf } from "../middleware/cognito";
import type { AppEnv } from "../types";
import { type BrowserSession, sealBrowserSession, sessionSetCookie } from "./browser-cookie";
import { issueSession, type SessionIssue } from "./browser";
import { issued } from "./issue";
import { refreshSession } from "./refresh";

// The Worker keeps a browser session alive, and checks it is still alive:
// near the access token's expiry it refreshes it with the refresh token it
// keeps, and a session Cognito has not confirmed for SESSION_CHECK_S is asked
// again (GetUser), so that a copy of a cookie ended elsewhere (logout, sign
// out everywhere, password change, admin disable or delete) stops working
// without REVOCATIONS too. Both happen once per session in an isolate, however
// many requests carry the same cookie at once (single flight).

/** Refresh when the access token has less than this left (s). */
const REFRESH_AHEAD_S = 120;
/** Ask Cognito again when it last confirmed the session longer ago than this (s). */
export const SESSION_CHECK_S = 60;
/** How long an outcome answers requests that still carry the cookie it replaced (ms): they were in flight with it. */
const HOLD_MS = 30_000;
/** Most flights held at once; the oldest go first. */
const MAX_FLIGHTS = 5000;

/** A session renewed: its new cookies. */
type Renewed = Pick<SessionIssue, "session" | "cookies">;

const flights = new Map<string, { at: number; outcome: Promise<Renewed> }>();
/** Access tokens of sessions ended in this isolate: a copy of their cookie is refused here at once, not after SESSION_CHECK_S. */
const endedHere = new Map<string, number>();
/** How long an ended session is remembered here (ms): Cognito's check refuses it anyway by then. */
const ENDED_MS = 2 * SESSION_CHECK_S * 1000;

/** Notes that the session of `accessToken` ended here (logout and the like). */
export function noteEnded(accessToken: string): void {
  endedHere.set(accessToken, Date.now());
  for (const [key, at] of endedHere) {
    if (endedHere.size <= MAX_FLIGHTS && Date.now() - at < ENDED_MS) break;
    endedHere.delete(key);
  }
}

/** Whether the session of `accessToken` ended in this isolate lately. */
export const endedLately = (accessToken: string): boolean => {
  // Mostly none: no key of a thousand characters to hash on every request.
  if (endedHere.size === 0) return false;
  const at = endedHere.get(accessToken);
  return at !== undefined && Date.now() - at < ENDED_MS;
};

/** Runs `work` once for `key` while a flight of it is held; every caller gets its outcome. */
function once(key: string, work: () => Promise<Renewed>): Promise<Renewed> {
  const now = Date.now();
  const held = flights.get(key);
  if (held && now - held.at < HOLD_MS) return held.outcome;
  const outcome = work();
  // An outage is not an answer about the session: the next request tries again.
  outcome.catch((err) => {
    if (!(err instanceof AuthError && err.status === 401) && flights.get(key)?.outcome === outcome) flights.delete(key);
  });
  flights.delete(key);
  flights.set(key, { at: now, outcome });
  // Insertion order is age order: the oldest go first.
  for (const [old, flight] of flights) {
    if (flights.size <= MAX_FLIGHTS && now - flight.at < HOLD_MS) break;
    flights.delete(old);
  }
  return outcome;
}

/** Cognito refused the session: it is over. */
const ended = (reason: string) => new AuthError("unauthorized", "The session has ended; sign in again.", { cause: { reason } });

/** Expiries read so far, per session opened (authenticate.ts holds them per isolate, unchanged). */
const expiries = new WeakMap<BrowserSession, number>();

/** The access token's `exp`, read unverified: it only times the refresh; the token is verified after. Decoded once per session object. */
function expiryOf(session: BrowserSession): number {
  let exp = expiries.get(session);
  if (exp === undefined) {
    try {
      const claim = decodeJwt(session.accessToken).exp;
      exp = typeof claim === "number" ? claim : 0;
    } catch {
      exp = 0;
    }
    expiries.set(session, exp);
  }
  return exp;
}

/** A new session from the kept refresh token, by the path /auth/refresh takes. */
async function refreshed(c: Context<AppEnv>, session: BrowserSession, refreshToken: string): Promise<Renewed> {
  cognitoOf(c);
  let result: AuthenticationResult | undefined;
  try {
    result = (await refreshSession(c, refreshToken)).AuthenticationResult;
  } catch (err) {
    if (err instanceof AuthError && err.status < 500 && err.status !== 429) throw ended(`refresh refused: ${err.code}`);
    throw err;
  }
  if (!result) throw ended("refresh answered a challenge");
  const { claims, refreshToken: rotated } = await issued(c, result);
  return issueSession(c, result, claims, rotated, session);
}

/** The same session, confirmed by Cognito now. */
async function checked(c: Context<AppEnv>, session: BrowserSession): Promise<Renewed> {
  try {
    await getUser(cognitoOf(c), session.accessToken);
  } catch (err) {
    if (err instanceof AuthError && err.status < 500 && err.status !== 429) throw ended(`check refused: ${err.code}`);
    throw err;
  }
  const now = Math.floor(Date.now() / 1000);
  const next = { ...session, checkedAt: now };
  const cookie = sessionSetCookie(await sealBrowserSession(c.var.config, next), next.endsAt - now);
  return { session: next, cookies: [cookie] };
}

/**
 * The session to use for this request: `session` as it is, refreshed when
 * its access token is near expiry (with `refreshTokenOf()`, the refresh cookie, read only then),
 * or confirmed by Cognito when it has not been for SESSION_CHECK_S. Throws
 * 401 `unauthorized` when Cognito refuses it.
 */
export async function liveSession(c: Context<AppEnv>, session: BrowserSession, refreshTokenOf: () => string | undefined): Promise<Renewed | undefined> {
  const now = Date.now() / 1000;
  if (expiryOf(session) - now < REFRESH_AHEAD_S) {
    const refreshToken = refreshTokenOf();
    if (!refreshToken) throw ended("no refresh token");
    return once(`r:${refreshToken}`, () => refreshed(c, session, refreshToken));
  }
  if (now - session.checkedAt >= SESSION_CHECK_S) {
    return once(`c:${session.accessToken}`, () => checked(c, session));
  }
  return undefined;
}
