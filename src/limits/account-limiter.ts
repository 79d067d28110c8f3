import { DurableObject } from "cloudflare:workers";

/** The answer of one counted attempt. */
export interface Verdict {
  allowed: boolean;
  /** Seconds until the window resets (when not allowed). */
  retryAfter: number;
}

interface Window {
  start: number;
  count: number;
}

/**
 * One object per account (email): attempts counted per action in fixed
 * windows. A Durable Object is one instance worldwide, so an attacker spread
 * over many IPs and locations shares one budget per account; the window is
 * short, so an attacker cannot lock the real user out for long.
 */
export class AccountLimiter extends DurableObject<Env> {
  /** Counts one attempt at `action`: allowed while the window holds at most `limit`. */
  async hit(action: string, limit: number, windowS: number, now = Date.now()): Promise<Verdict> {
    const key = `w:${action}`;
    let window = await this.ctx.storage.get<Window>(key);
    if (!window || now - window.start >= windowS * 1000) window = { start: now, count: 0 };
    window.count++;
    await this.ctx.storage.put(key, window);
    // Nothing to keep once every window has passed.
    const end = window.start + windowS * 1000;
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm < end) await this.ctx.storage.setAlarm(end);
    const retryAfter = Math.max(1, Math.ceil((window.start + windowS * 1000 - now) / 1000));
    return { allowed: window.count <= limit, retryAfter };
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
