import { DurableObject } from "cloudflare:workers";
import type { WorkerEnv } from "../types";

interface Window {
  end: number;
  count: number;
}

const KEY = "window";

/**
 * The worldwide hourly SMS budget (SMS_HOURLY_LIMIT): one object for the
 * whole Worker (named `world`), so that SMS pumping from any number of IPs,
 * accounts and numbers has a ceiling on what it costs. Email is not counted.
 * Storage is read and written before the first await: concurrent requests are
 * decided one after the other.
 */
export class SmsBudget extends DurableObject<WorkerEnv> {
  /** Takes one SMS from the current hour's `limit`; the seconds to wait when it is spent. */
  async take(limit: number, windowS = 3600, now = Date.now()): Promise<{ allowed: boolean; retryAfter: number }> {
    const current = this.ctx.storage.kv.get<Window>(KEY);
    const window = current && current.end > now ? current : { end: now + windowS * 1000, count: 0 };
    const retryAfter = Math.max(1, Math.ceil((window.end - now) / 1000));
    if (window.count >= limit) return { allowed: false, retryAfter };
    window.count++;
    this.ctx.storage.kv.put(KEY, window);
    return { allowed: true, retryAfter };
  }
}
