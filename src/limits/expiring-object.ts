import { DurableObject } from "cloudflare:workers";
import type { WorkerEnv } from "../types";

/**
 * A Durable Object whose stored values expire: the account limiter's windows
 * and devices, the session registry's sessions and ended marks. One alarm,
 * kept at the earliest expiry, deletes what is over.
 */
export abstract class ExpiringObject<Value> extends DurableObject<WorkerEnv> {
  /** When a stored value is over (ms since the epoch). */
  protected abstract endOf(value: Value): number;

  /** Keeps the alarm at the earliest expiry. */
  protected async expireAt(time: number): Promise<void> {
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > time) await this.ctx.storage.setAlarm(time);
  }

  /** Deletes what is over; wakes again for the next expiry. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next = Infinity;
    for (const [key, value] of [...this.ctx.storage.kv.list<Value>()]) {
      const end = this.endOf(value);
      if (end > now) next = Math.min(next, end);
      else this.ctx.storage.kv.delete(key);
    }
    if (next !== Infinity) await this.ctx.storage.setAlarm(next);
  }
}
