import { DurableObject } from "cloudflare:workers";
import type { WorkerEnv } from "../types";

/** Names the window an attempt was counted in, so that it can be given back. */
export interface Ticket {
  key: string;
  start: number;
}

/** The answer to one attempt. */
export interface Verdict {
  allowed: boolean;
  /** Seconds until the window resets (when not allowed). */
  retryAfter: number;
  /** Where the attempt was counted (when allowed). */
  ticket?: Ticket;
}

interface Window {
  start: number;
  end: number;
  count: number;
}

const WINDOW = "w:";
const DEVICE = "d:";

/**
 * One object per account (named by email) or per signed-in user (named
 * `sub:<sub>`; an email cannot hold a colon): attempts counted per action in
 * fixed windows. A Durable Object is one instance worldwide, so an attacker
 * spread over many IPs and locations shares one budget per account.
 *
 * Devices that have signed in to the account (OWASP's device cookies) each
 * draw on a budget of their own, so an attacker who exhausts the budget of
 * unknown devices does not lock the owner out.
 *
 * Each method reads and writes storage synchronously before its first await,
 * so concurrent attempts are decided one after the other: a burst cannot
 * overdraw a budget.
 */
export class AccountLimiter extends DurableObject<WorkerEnv> {
  /**
   * Takes one attempt at `action` from the budget of `device` if it has signed
   * in here, else from the budget all unknown devices share. A refused attempt
   * is not counted. Callers count before they act and give back with
   * `refund` what turned out not to be a failure.
   */
  async attempt(action: string, limit: number, windowS: number, device?: string, now = Date.now()): Promise<Verdict> {
    const trusted = device !== undefined && (this.ctx.storage.kv.get<number>(DEVICE + device) ?? 0) > now;
    const key = `${WINDOW}${action}${trusted ? `:${device}` : ""}`;
    let window = this.ctx.storage.kv.get<Window>(key);
    if (!window || !(window.end > now)) window = { start: now, end: now + windowS * 1000, count: 0 };
    const retryAfter = Math.max(1, Math.ceil((window.end - now) / 1000));
    if (window.count >= limit) return { allowed: false, retryAfter };
    window.count++;
    this.ctx.storage.kv.put(key, window);
    await this.expireAt(window.end);
    return { allowed: true, retryAfter, ticket: { key, start: window.start } };
  }

  /** Gives back an attempt that was not a failure, if its window is still current. */
  async refund(ticket: Ticket): Promise<void> {
    const window = this.ctx.storage.kv.get<Window>(ticket.key);
    if (window && window.start === ticket.start && window.count > 0) {
      window.count--;
      this.ctx.storage.kv.put(ticket.key, window);
    }
  }

  /** Remembers `device` as one that has signed in to this account, for `ttlS` seconds. */
  async trust(device: string, ttlS: number, now = Date.now()): Promise<void> {
    this.ctx.storage.kv.put(DEVICE + device, now + ttlS * 1000);
    await this.expireAt(now + ttlS * 1000);
  }

  /** Keeps the alarm at the earliest expiry. */
  private async expireAt(time: number): Promise<void> {
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > time) await this.ctx.storage.setAlarm(time);
  }

  /** Deletes expired windows and devices; wakes again for the next expiry. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next = Infinity;
    for (const [key, value] of [...this.ctx.storage.kv.list<Window | number>()]) {
      const end = typeof value === "number" ? value : value.end;
      if (end > now) next = Math.min(next, end);
      else this.ctx.storage.kv.delete(key);
    }
    if (next !== Infinity) await this.ctx.storage.setAlarm(next);
  }
}
