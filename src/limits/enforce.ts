import type { Context } from "hono";
import type { LimitedAction } from "./policy";
import { AuthError } from "../errors";
import { log } from "../log";
import type { AppEnv } from "../types";
import { ipKey } from "./ip-key";

/** The period of the IP_LIMITER binding (wrangler.toml), which is what a throttled client waits at most. */
const IP_PERIOD_S = 60;

const tooMany = (retryAfter: number) =>
  new AuthError("too_many_requests", "Too many attempts; retry later.", { headers: { "Retry-After": String(retryAfter) } });

/**
 * Counts one attempt at `action` for the client IP (Workers Rate Limiting:
 * cheap, per location; IPv6 per /64) and for the account (a Durable Object
 * per email: consistent worldwide). Throws 429 `too_many_requests` with Retry-After.
 * Known and unknown accounts are counted alike, so a 429 reveals nothing.
 */
export async function enforceLimits(c: Context<AppEnv>, action: LimitedAction, account: string): Promise<void> {
  const { IP_LIMITER: ipLimiter, ACCOUNT_LIMITER: accounts } = c.env;
  if (ipLimiter) {
    const { success } = await ipLimiter.limit({ key: `${action}:${ipKey(c.req.header("CF-Connecting-IP"))}` });
    if (!success) throw tooMany(IP_PERIOD_S);
  }
  if (accounts) {
    const { limit, windowS } = c.var.config.limits[action];
    let verdict;
    try {
      verdict = await accounts.get(accounts.idFromName(account)).hit(action, limit, windowS);
    } catch (err) {
      // Fail open: a limiter outage must not take sign-in down with it.
      log("error", "account_limiter_failed", { action, error: err instanceof Error ? err.name : "unknown" });
      return;
    }
    if (!verdict.allowed) throw tooMany(verdict.retryAfter);
  }
}
