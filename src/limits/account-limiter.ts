import { ExpiringObject } from "./expiring-object";

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

/** A budget to draw on: `limit` attempts per window of `windowS` seconds. */
export interface Budget {
  limit: number;
  windowS: number;
}

const WINDOW = "w:";
const DEVICE = "d:";
/**
 * Devices remembered per account; a new one evicts the oldest. Guesses get a
 * budget per trusted device, so without a cap whoever knows the password
 * could mint budgets by signing in again and again.
 */
export const MAX_DEVICES = 20;

/**
 * One object per account (named by email) or per signed-in user (named
 * `sub:<sub>`; an email cannot hold a colon): attempts counted per action in
 * fixed windows. A Durable Object is one instance worldwide, so an attacker
 * spread over many IPs and locations shares one budget per account.
 *
 * Devices that have signed in to the account (OWASP's device cookies) each
 * draw on a guess budget of their own, so an attacker who exhausts the budget
 * of unknown devices does not lock the owner out. Sending a message costs
 * money, so for sending there are two budgets only: one all the account's
 * devices share, one for everyone else, and a ceiling per destination over
 * both (`send`).
 *
 * Each method reads and writes storage synchronously before its first await,
 * so concurrent attempts are decided one after the other: a burst cannot
 * overdraw a budget.
 */
export class AccountLimiter extends ExpiringObject<Window | number> {
  /**
   * Takes one attempt at `action` from the budget of `device` if it has signed
   * in here, else from the budget all unknown devices share. A refused attempt
   * is not counted. Callers count before they act and give back with
   * `refund` what turned out not to be a failure.
   */
  async attempt(action: string, limit: number, windowS: number, device?: string, now = Date.now()): Promise<Verdict> {
    const key = `${WINDOW}${action}${this.isTrusted(device, now) ? `:${device}` : ""}`;
    return this.take([[key, { limit, windowS }]], now);
  }

  /**
   * Takes one message at `action`: from `budget`, the one all trusted devices
   * share when `device` has signed in here, else the one everyone else shares;
   * and from `ceiling`, this destination's, whoever asks. Either may be left
   * out (a message whose destination is unknown counts only in its account's
   * budget). Nothing is counted unless both have room.
   */
  async send(action: string, budget: Budget | undefined, ceiling: Budget | undefined, device?: string, now = Date.now()): Promise<Verdict> {
    const takes: [string, Budget][] = [];
    if (budget) takes.push([`${WINDOW}${action}${this.isTrusted(device, now) ? ":trusted" : ""}`, budget]);
    if (ceiling) takes.push([`${WINDOW}${action}:to`, ceiling]);
    return this.take(takes, now);
  }

  private isTrusted(device: string | undefined, now: number): boolean {
    return device !== undefined && (this.ctx.storage.kv.get<number>(DEVICE + device) ?? 0) > now;
  }

  /** One attempt from every budget of `takes`, or from none when one is spent. */
  private async take(takes: [string, Budget][], now: number): Promise<Verdict> {
    const windows = takes.map(([key, { limit, windowS }]) => {
      const current = this.ctx.storage.kv.get<Window>(key);
      const window = current && current.end > now ? current : { start: now, end: now + windowS * 1000, count: 0 };
      return { key, limit, window, retryAfter: Math.max(1, Math.ceil((window.end - now) / 1000)) };
    });
    const spent = windows.filter((w) => w.window.count >= w.limit);
    if (spent.length) return { allowed: false, retryAfter: Math.max(...spent.map((w) => w.retryAfter)) };
    for (const { key, window } of windows) {
      window.count++;
      this.ctx.storage.kv.put(key, window);
    }
    const [first] = windows;
    if (!first) return { allowed: true, retryAfter: 1 };
    await this.expireAt(Math.min(...windows.map((w) => w.window.end)));
    return { allowed: true, retryAfter: first.retryAfter, ticket: { key: first.key, start: first.window.start } };
  }

  /** Gives back an attempt that was not a failure, if its window is still current. */
  async refund(ticket: Ticket): Promise<void> {
    const window = this.ctx.storage.kv.get<Window>(ticket.key);
    if (window && window.start === ticket.start && window.count > 0) {
      window.count--;
      this.ctx.storage.kv.put(ticket.key, window);
    }
  }

  /** Remembers `device` as one that has signed in to this account, for `ttlS` seconds; forgets the oldest beyond MAX_DEVICES. */
  async trust(device: string, ttlS: number, now = Date.now()): Promise<void> {
    this.ctx.storage.kv.put(DEVICE + device, now + ttlS * 1000);
    // Every device is remembered for the same time: the earliest expiry is the oldest sign-in.
    const devices = [...this.ctx.storage.kv.list<number>({ prefix: DEVICE })].sort(([, a], [, b]) => a - b);
    for (const [key] of devices.slice(0, Math.max(0, devices.length - MAX_DEVICES))) this.ctx.storage.kv.delete(key);
    await this.expireAt(now + ttlS * 1000);
  }

  protected endOf(value: Window | number): number {
    return typeof value === "number" ? value : value.end;
  }
}
