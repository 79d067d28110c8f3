import type { Context } from "hono";
import { AuthError, isOutage } from "../errors";
import { log } from "../log";
import type { AppEnv } from "../types";
import { DEVICE_MAX_AGE_S, presentedDevice, setDeviceCookie } from "./device";
import { ipKey } from "./ip-key";
import type { GuessAction, LimitedAction, SendingAction } from "./policy";

/** The period of the Workers Rate Limiting bindings (wrangler.toml), which is what a throttled client waits at most. */
const RATE_PERIOD_S = 60;

const tooMany = (retryAfter: number) => new AuthError("too_many_requests", { headers: { "Retry-After": String(retryAfter) } });

/** Fail open: a limiter outage must not take sign-in down with it. */
const limiterFailed = (action: string) => (err: unknown) => {
  log("error", "account_limiter_failed", { action, error: err instanceof Error ? err.name : "unknown" });
};

/**
 * Actions counted per client IP only: they check no secret of a named account,
 * but each calls Cognito (refresh: InitiateAuth or GetTokensFromRefreshToken;
 * the OAuth callback: the token endpoint).
 */
export type IpAction = "refresh" | "oauth-callback";

/** Takes one request from `key`'s bucket of a Workers Rate Limiting binding (cheap, per location); throws 429 when spent. */
async function takeRequest(limiter: RateLimit | undefined, key: string): Promise<void> {
  if (!limiter) return;
  const { success } = await limiter.limit({ key });
  if (!success) throw tooMany(RATE_PERIOD_S);
}

/**
 * Counts one request at `action` for the client IP (IPv6 per /64). Refresh has
 * a binding of its own (REFRESH_LIMITER), with room for the many honest tabs
 * behind one address; every other action shares IP_LIMITER's numbers.
 */
export async function limitIp(c: Context<AppEnv>, action: LimitedAction | IpAction): Promise<void> {
  const limiter = action === "refresh" ? c.env.REFRESH_LIMITER : c.env.IP_LIMITER;
  await takeRequest(limiter, `${action}:${ipKey(c.req.header("CF-Connecting-IP"))}`);
}

/**
 * Counts one request of the signed-in user (by `sub`, whatever the client IP)
 * at a bearer route that calls Cognito on every request: a valid token, stolen
 * or not, cannot spend the account's Cognito quota faster than USER_LIMITER allows.
 */
export async function limitUser(c: Context<AppEnv>): Promise<void> {
  await takeRequest(c.env.USER_LIMITER, `sub:${c.var.auth.claims.sub}`);
}

/**
 * Counts one refresh of a user's sessions (by the Cognito username the sealed
 * token carries), whatever the client IP: one genuine refresh token sent from
 * many addresses cannot spend the account's Cognito quota faster than
 * USER_LIMITER allows.
 */
export async function limitRefresh(c: Context<AppEnv>, username: string): Promise<void> {
  await takeRequest(c.env.USER_LIMITER, `refresh:${username}`);
}

const limiterOf = (c: Context<AppEnv>, account: string) =>
  c.env.ACCOUNT_LIMITER?.get(c.env.ACCOUNT_LIMITER.idFromName(account));

/** Takes one attempt from the account's budget (a Durable Object: consistent worldwide); throws 429 when spent. */
async function takeAttempt(c: Context<AppEnv>, action: LimitedAction, account: string, device?: string) {
  const limiter = limiterOf(c, account);
  if (!limiter) return undefined;
  const { limit, windowS } = c.var.config.limits[action];
  const verdict = await limiter.attempt(action, limit, windowS, device).catch(limiterFailed(action));
  if (verdict && !verdict.allowed) throw tooMany(verdict.retryAfter);
  const ticket = verdict?.ticket;
  return ticket && (() => c.executionCtx.waitUntil(limiter.refund(ticket).catch(limiterFailed(action))));
}

/**
 * Counts a request at an action that sends an email or SMS, per client IP and
 * per account (each of `accounts`: every address or number the message may go
 * to), whatever its outcome. Throws 429 `too_many_requests` with Retry-After.
 * Known and unknown accounts are counted alike. A device that has signed in to
 * the account draws on a budget of its own, as for guesses: strangers who spend
 * the account's budget do not keep its owner from the codes it signs in with.
 */
export async function countRequest(c: Context<AppEnv>, action: SendingAction, ...accounts: string[]): Promise<void> {
  await limitIp(c, action);
  for (const account of accounts) await takeAttempt(c, action, account, presentedDevice(c));
}

/** A failed guess counts; success, an outage or upstream throttling does not. */
const isFailedGuess = (err: unknown) => !isOutage(err) && !(err instanceof AuthError && err.code === "too_many_requests");

/**
 * Runs `attempt`, one guess at a secret for `account`, within the limits of
 * `action`: per client IP every request counts; per account only failures do.
 * The attempt is counted before it is made and given back when it succeeds,
 * so a burst of concurrent guesses cannot overdraw the budget. A request
 * presenting the cookie of a device that has signed in to the account draws
 * on that device's own budget; all others share one. When that budget is
 * spent, the answer is 429 before Cognito is asked, whatever the secret and
 * whether or not the account exists.
 */
export async function guardGuess<T>(
  c: Context<AppEnv>,
  action: GuessAction,
  account: string,
  attempt: () => Promise<T>,
): Promise<T> {
  await limitIp(c, action);
  const refund = await takeAttempt(c, action, account, presentedDevice(c));
  try {
    const result = await attempt();
    refund?.();
    return result;
  } catch (err) {
    if (!isFailedGuess(err)) refund?.();
    throw err;
  }
}

/** `guardGuess` for a bearer route: the budget is the signed-in user's (by `sub`). */
export const guardUserGuess = <T>(c: Context<AppEnv>, action: GuessAction, attempt: () => Promise<T>): Promise<T> =>
  guardGuess(c, action, `sub:${c.var.auth.claims.sub}`, attempt);

/**
 * After a sign-in that delivered tokens: sets the device cookie (the presented
 * id when well-formed, else a new one) and has the account remember it.
 */
export function trustDevice(c: Context<AppEnv>, account: string): void {
  const limiter = limiterOf(c, account);
  if (!limiter) return;
  const device = setDeviceCookie(c);
  c.executionCtx.waitUntil(limiter.trust(device, DEVICE_MAX_AGE_S).catch(limiterFailed("trust-device")));
}
