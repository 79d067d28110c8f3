import type { Context } from "hono";
import { decodeJwt } from "jose";
import type { AuthenticationResult } from "../cognito/schemas";
import { getUser } from "../cognito/user-ops";
import { AuthError, isOutage } from "../errors";
import { limitIp, limitUserSub } from "../limits/enforce";
import { log } from "../log";
import { cognitoOf } from "../middleware/cognito";
import type { AppEnv } from "../types";
import { type BrowserSession, sealBrowserSession, sessionSetCookie } from "./browser-cookie";
import { isOversize, issueSession, type SessionIssue } from "./browser";
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
/**
 * How long an outcome answers requests that still carry the cookie it
 * replaced (ms): they were in flight with it, or a copy of the cookie is being
 * replayed. As long as SESSION_CHECK_S, so that Cognito is asked about a
 * session at most once a minute per isolate, however many copies come back.
 */
const HOLD_MS = SESSION_CHECK_S * 1000;
/** Most flights, and most refused sessions, held at once; the oldest go first. */
const MAX_FLIGHTS = 5000;
/** How long a refused session is remembered when its access token tells no expiry (ms). */
const REFUSED_MS = 2 * SESSION_CHECK_S * 1000;

/** A session renewed: its new cookies. */
type Renewed = Pick<SessionIssue, "session" | "cookies">;

const flights = new Map<string, { at: number; outcome: Promise<Renewed> }>();
/**
 * Sessions ended in this isolate or refused by Cognito, until when (ms): the
 * access token until its `exp` (after it nothing accepts it), a refused refresh
 * token (`r:` key) until its session's end. A copy of their cookie is refused
 * here without asking Cognito again: replayed cookies cannot spend its quota.
 */
const refusedHere = new Map<string, number>();

/** The access token's `exp`, read unverified: it only times the refresh and the memory of a refusal; the token is verified after. */
function expiryOf(accessToken: string): number {
  try {
    const exp = decodeJwt(accessToken).exp;
    return typeof exp === "number" ? exp : 0;
  } catch {
    return 0;
  }
}

/** Remembers `key` as refused until `until` (ms). */
function remember(key: string, until: number): void {
  const now = Date.now();
  if (until <= now) return;
  refusedHere.delete(key);
  refusedHere.set(key, until);
  for (const [old, at] of refusedHere) {
    if (refusedHere.size <= MAX_FLIGHTS && at > now) break;
    refusedHere.delete(old);
  }
}

/** Notes that the session of `accessToken` is over (ended here, or refused by Cognito), until the token expires. */
export function noteEnded(accessToken: string): void {
  const exp = expiryOf(accessToken);
  remember(accessToken, exp > 0 ? exp * 1000 : Date.now() + REFUSED_MS);
}

/** Whether the session of `accessToken` (or the `r:` key of a refresh token) is known over in this isolate. */
export const endedLately = (key: string): boolean => {
  // Mostly none: no key of a thousand characters to hash on every request.
  if (refusedHere.size === 0) return false;
  const until = refusedHere.get(key);
  return until !== undefined && until > Date.now();
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
function sessionExpiry(session: BrowserSession): number {
  let exp = expiries.get(session);
  if (exp === undefined) {
    exp = expiryOf(session.accessToken);
    expiries.set(session, exp);
  }
  return exp;
}

/**
 * Counts one of the Worker's own Cognito calls for a session (a check or a
 * refresh) before it is made: per client IP, in POST /auth/refresh's bucket
 * (REFRESH_LIMITER), and per user, by the `sub` the session sealed
 * (USER_LIMITER, the bucket of bearer routes that call Cognito). A stranger
 * replaying many cookies, of many accounts from one address or of one account
 * from many, gets 429 and Cognito hears nothing. Inside the flight: the
 * requests of one session at once count once.
 */
async function limitCall(c: Context<AppEnv>, session: BrowserSession): Promise<void> {
  await limitIp(c, "refresh");
  await limitUserSub(c, session.sub);
}

/** A new session from the kept refresh token, by the path /auth/refresh takes. */
async function refreshed(c: Context<AppEnv>, session: BrowserSession, refreshToken: string): Promise<Renewed> {
  cognitoOf(c);
  await limitCall(c, session);
  let result: AuthenticationResult | undefined;
  try {
    result = (await refreshSession(c, refreshToken)).AuthenticationResult;
  } catch (err) {
    if (err instanceof AuthError && err.status < 500 && err.status !== 429) {
      remember(`r:${refreshToken}`, session.endsAt * 1000);
      throw ended(`refresh refused: ${err.code}`);
    }
    throw err;
  }
  if (!result) throw ended("refresh answered a challenge");
  const { claims, refreshToken: rotated } = await issued(c, result);
  try {
    return await issueSession(c, result, claims, rotated, session);
  } catch (err) {
    // A cookie the browser would drop is no session: ended, not a 500 that refreshes again on every request.
    if (isOversize(err)) throw ended("session cookie over 4096 bytes");
    throw err;
  }
}

/**
 * The same session, confirmed by Cognito now. Cognito throttled (429) or
 * failing (5xx) is no answer about the session: it is served on its own
 * access token, which is still verified as a bearer token is (expiry,
 * REVOCATIONS), unconfirmed and without a new cookie, and Cognito is asked
 * again after HOLD_MS. Failing every user while Cognito is busy would turn a
 * quota burnt by others into an outage; the cost is that a session ended
 * elsewhere may live on here until Cognito answers or its token expires,
 * as a bearer token would.
 */
async function checked(c: Context<AppEnv>, session: BrowserSession): Promise<Renewed> {
  await limitCall(c, session);
  try {
    await getUser(cognitoOf(c), session.accessToken);
  } catch (err) {
    if (err instanceof AuthError && err.status < 500 && err.status !== 429) {
      noteEnded(session.accessToken);
      throw ended(`check refused: ${err.code}`);
    }
    if (isOutage(err) || (err instanceof AuthError && err.status === 429)) {
      log("warn", "session_check_unanswered", { reason: err instanceof AuthError ? err.code : "unknown" });
      return { session, cookies: [] };
    }
    throw err;
  }
  const now = Math.floor(Date.now() / 1000);
  const next = { ...session, checkedAt: now };
  const cookie = sessionSetCookie(await sealBrowserSession(c.var.config, next), next.endsAt - now);
  return { session: next, cookies: [cookie] };
}

/**
 * The session to use for this request: `session` as it is, refreshed when
 * its access token is near expiry (with `refreshToken`, the refresh cookie),
 * or confirmed by Cognito when it has not been for SESSION_CHECK_S. Throws
 * 401 `unauthorized` when Cognito refuses it, or refused it before in this
 * isolate; 429 when the caller's IP or user has spent its limit.
 */
export async function liveSession(c: Context<AppEnv>, session: BrowserSession, refreshToken: string | undefined): Promise<Renewed | undefined> {
  const now = Date.now() / 1000;
  if (endedLately(session.accessToken)) throw ended("session refused here");
  if (sessionExpiry(session) - now < REFRESH_AHEAD_S) {
    if (!refreshToken) throw ended("no refresh token");
    if (endedLately(`r:${refreshToken}`)) throw ended("refresh refused here");
    return once(`r:${refreshToken}`, () => refreshed(c, session, refreshToken));
  }
  if (now - session.checkedAt >= SESSION_CHECK_S) {
    return once(`c:${session.accessToken}`, () => checked(c, session));
  }
  return undefined;
}
