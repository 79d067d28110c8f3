import type { Context } from "hono";
import { AuthError, isOutage } from "../errors";
import { log } from "../log";
import type { AppEnv } from "../types";
import { DEVICE_MAX_AGE_S, presentedDevice, setDeviceCookie } from "./device";
import { ipKey, siteKey } from "./ip-key";
import { ceilingOf, type GuessAction, type LimitedAction, type SendingAction, smsAllowed } from "./policy";

/** The period of the Workers Rate Limiting bindings (wrangler.toml), which is what a throttled client waits at most. */
const RATE_PERIOD_S = 60;

const tooMany = (retryAfter: number) => new AuthError("too_many_requests", { headers: { "Retry-After": String(retryAfter) } });

/** Logs a limiter outage (the error's name only). */
const limiterFailed = (action: string) => (err: unknown) => {
  log("error", "account_limiter_failed", { action, error: err instanceof Error ? err.name : "unknown" });
};
/** A 503 while a limiter fails: what cannot be counted is not done. */
const paused = (detail: string) => new AuthError("upstream_unavailable", detail, { headers: { "Retry-After": String(RATE_PERIOD_S) } });

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
 * behind one address; every other action shares IP_LIMITER's numbers, and an
 * IPv6 client is counted per /48 too (SITE_LIMITER): one tunnel broker's /48
 * holds 65,536 /64s, free for the asking.
 */
export async function limitIp(c: Context<AppEnv>, action: LimitedAction | IpAction): Promise<void> {
  const ip = c.req.header("CF-Connecting-IP");
  if (action === "refresh") return takeRequest(c.env.REFRESH_LIMITER, `${action}:${ipKey(ip)}`);
  await takeRequest(c.env.IP_LIMITER, `${action}:${ipKey(ip)}`);
  const site = siteKey(ip);
  if (site) await takeRequest(c.env.SITE_LIMITER, `${action}:${site}`);
}

/**
 * Counts one request of the signed-in user (by `sub`, whatever the client IP)
 * at a bearer route that calls Cognito on every request: a valid token, stolen
 * or not, cannot spend the account's Cognito quota faster than USER_LIMITER allows.
 */
export async function limitUser(c: Context<AppEnv>): Promise<void> {
  await limitUserSub(c, c.var.auth.claims.sub);
}

/** `limitUser` for the user `sub` before the request is authenticated (a browser session's check, session/renew.ts). */
export async function limitUserSub(c: Context<AppEnv>, sub: string): Promise<void> {
  await takeRequest(c.env.USER_LIMITER, `sub:${sub}`);
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

/**
 * Takes one guess from the account's budget (a Durable Object: consistent
 * worldwide); throws 429 when spent. When the object fails, the guess is
 * counted per client IP instead (FALLBACK_LIMITER, strict): an attacker who
 * overloads a victim's object must not guess uncounted.
 */
async function takeAttempt(c: Context<AppEnv>, action: GuessAction, account: string, device?: string) {
  const limiter = limiterOf(c, account);
  if (!limiter) return undefined;
  const { limit, windowS } = c.var.config.limits[action];
  const verdict = await limiter.attempt(action, limit, windowS, device).catch(limiterFailed(action));
  if (!verdict) {
    const fallback = c.env.FALLBACK_LIMITER;
    if (!fallback) throw paused("Sign-in is paused; retry later.");
    await takeRequest(fallback, `${action}:${ipKey(c.req.header("CF-Connecting-IP"))}`);
    return undefined;
  }
  if (!verdict.allowed) throw tooMany(verdict.retryAfter);
  const ticket = verdict.ticket;
  return ticket && (() => c.executionCtx.waitUntil(limiter.refund(ticket).catch(limiterFailed(action))));
}

/** Who a message goes to, and how. */
export interface Sending {
  /** The account (email, phone number or `sub:<sub>`) whose budgets it draws on. */
  account: string;
  /** Every email address or phone number it may go to, where known: each has a ceiling. */
  to: string[];
  /** It goes by SMS: the numbers of `to` must be of an allowed country, and the worldwide SMS budget counts it. */
  sms?: boolean;
}

/** Takes one message at `action` from the limiter object `name`; throws 429 when spent, 503 when the object fails. */
async function takeMessage(c: Context<AppEnv>, action: SendingAction, name: string, own: boolean, toHere = true): Promise<void> {
  const limiter = limiterOf(c, name);
  if (!limiter) return;
  const budget = c.var.config.limits[action];
  // Whoever sends to another account's address or number is a stranger to it: its everyone-else budget counts too.
  const verdict = await limiter
    .send(action, budget, toHere ? ceilingOf(budget) : undefined, own ? presentedDevice(c) : undefined)
    .catch(limiterFailed(action));
  if (!verdict) throw paused("Sending is paused; retry later.");
  if (!verdict.allowed) throw tooMany(verdict.retryAfter);
}

/** Takes one SMS from the Worker's worldwide hourly budget (SMS_BUDGET); 429 when spent, 503 when it fails. */
async function takeSms(c: Context<AppEnv>): Promise<void> {
  const budget = c.env.SMS_BUDGET;
  if (!budget) return;
  const verdict = await budget.get(budget.idFromName("world")).take(c.var.config.smsHourlyLimit).catch(limiterFailed("sms"));
  if (!verdict) throw paused("Sending is paused; retry later.");
  if (!verdict.allowed) throw tooMany(verdict.retryAfter);
}

/**
 * Counts a request at an action that sends an email or SMS, whatever its
 * outcome, before Cognito is asked: per client IP; in the account's budgets,
 * one all its trusted devices share and one for everyone else (so neither
 * device ids multiply its messages nor strangers starve its owner of them);
 * against a ceiling per destination over both; and, by SMS, against the
 * allow-list of countries (400 `sms_country_not_allowed`) and the worldwide
 * hourly budget. Throws 429 `too_many_requests` with Retry-After, or 503
 * when a limiter fails: a message that cannot be counted is not sent. Known
 * and unknown accounts are counted alike.
 */
export async function countRequest(c: Context<AppEnv>, action: SendingAction, sending: Sending): Promise<void> {
  const { account, to, sms } = sending;
  if (sms && to.some((phone) => phone.startsWith("+") && !smsAllowed(c.var.config.smsCountryCodes, phone))) {
    throw new AuthError("sms_country_not_allowed");
  }
  await limitIp(c, action);
  await takeMessage(c, action, account, true, to.includes(account));
  for (const destination of new Set(to)) if (destination !== account) await takeMessage(c, action, destination, false);
  if (sms) await takeSms(c);
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
