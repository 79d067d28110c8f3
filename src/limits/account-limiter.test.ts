import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_DEVICES, type Ticket, type Verdict } from "./account-limiter";

const limiter = () => env.ACCOUNT_LIMITER.get(env.ACCOUNT_LIMITER.newUniqueId());
const DEVICE = "d".repeat(22);
function ticketOf(verdict: Verdict): Ticket {
  if (!verdict.ticket) throw new Error("the attempt was not allowed");
  return verdict.ticket;
}

// Times are injected, but near the clock: the object's alarm deletes what has expired by it.
let T0 = 0;
beforeEach(() => {
  T0 = Date.now();
});

describe("AccountLimiter", () => {
  it("allows `limit` attempts a window, does not count refused ones, and starts over when the window ends", async () => {
    const stub = limiter();
    for (let i = 0; i < 2; i++) expect((await stub.attempt("login", 2, 60, undefined, T0 + i)).allowed).toBe(true);
    expect(await stub.attempt("login", 2, 60, undefined, T0 + 1_500)).toEqual({ allowed: false, retryAfter: 59 });
    expect(await stub.attempt("login", 2, 60, undefined, T0 + 59_999)).toEqual({ allowed: false, retryAfter: 1 });
    expect((await stub.attempt("login", 2, 60, undefined, T0 + 60_000)).allowed).toBe(true);
  });

  it("counts each action on its own", async () => {
    const stub = limiter();
    expect((await stub.attempt("login", 1, 60, undefined, T0)).allowed).toBe(true);
    expect((await stub.attempt("login", 1, 60, undefined, T0)).allowed).toBe(false);
    expect((await stub.attempt("verify", 1, 60, undefined, T0)).allowed).toBe(true);
  });

  it("gives a refunded attempt back, but not into a later window", async () => {
    const stub = limiter();
    const first = await stub.attempt("login", 1, 60, undefined, T0);
    await stub.refund(ticketOf(first));
    const second = await stub.attempt("login", 1, 60, undefined, T0 + 1);
    expect(second.allowed).toBe(true);
    const next = await stub.attempt("login", 1, 60, undefined, T0 + 60_000);
    expect(next.allowed).toBe(true);
    await stub.refund(ticketOf(second));
    expect((await stub.attempt("login", 1, 60, undefined, T0 + 60_001)).allowed).toBe(false);
  });

  it("decides concurrent attempts one after the other", async () => {
    const stub = limiter();
    const verdicts = await Promise.all(Array.from({ length: 15 }, () => stub.attempt("login", 10, 60)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
  });

  it("gives a trusted device a budget of its own until its trust expires; unknown devices share one", async () => {
    const stub = limiter();
    expect((await stub.attempt("login", 1, 3600, "u".repeat(22), T0)).allowed).toBe(true);
    expect((await stub.attempt("login", 1, 3600, DEVICE, T0)).allowed).toBe(false);
    await stub.trust(DEVICE, 60, T0);
    const own = await stub.attempt("login", 1, 3600, DEVICE, T0 + 1);
    expect(own).toMatchObject({ allowed: true, ticket: { key: `w:login:${DEVICE}` } });
    expect((await stub.attempt("login", 1, 3600, DEVICE, T0 + 2)).allowed).toBe(false);
    expect((await stub.attempt("login", 1, 3600, DEVICE, T0 + 60_000)).allowed).toBe(false);
  });

  it("gives all trusted devices one sending budget, everyone else another, under one ceiling", async () => {
    const stub = limiter();
    const budget = { limit: 2, windowS: 3600 };
    const ceiling = { limit: 3, windowS: 3600 };
    const other = "o".repeat(22);
    await stub.trust(DEVICE, 3600, T0);
    await stub.trust(other, 3600, T0);
    expect((await stub.send("send-code", budget, ceiling, DEVICE, T0)).allowed).toBe(true);
    expect((await stub.send("send-code", budget, ceiling, other, T0)).allowed).toBe(true);
    expect((await stub.send("send-code", budget, ceiling, DEVICE, T0))).toMatchObject({ allowed: false });
    expect((await stub.send("send-code", budget, ceiling, undefined, T0)).allowed).toBe(true);
    // The strangers' budget has room, the ceiling has not; a refused message is counted nowhere.
    expect((await stub.send("send-code", budget, ceiling, undefined, T0)).allowed).toBe(false);
    expect((await stub.send("send-code", undefined, ceiling, undefined, T0)).allowed).toBe(false);
    expect((await stub.send("send-code", budget, undefined, undefined, T0)).allowed).toBe(true);
  });

  it("remembers at most MAX_DEVICES devices, forgetting the oldest", async () => {
    const stub = limiter();
    const device = (i: number) => String(i).padStart(22, "x");
    for (let i = 0; i <= MAX_DEVICES; i++) await stub.trust(device(i), 3600, T0 + i);
    const kept = await runInDurableObject(stub, (_, state) => [...state.storage.kv.list({ prefix: "d:" })].map(([key]) => key));
    expect(kept).toHaveLength(MAX_DEVICES);
    expect(kept).not.toContain(`d:${device(0)}`);
    expect(kept).toContain(`d:${device(MAX_DEVICES)}`);
  });

  it("deletes what has expired at its alarm and keeps the rest", async () => {
    const stub = limiter();
    const now = Date.now();
    await stub.attempt("login", 5, 1, undefined, now - 10_000);
    await stub.attempt("verify", 5, 3600, undefined, now);
    await stub.trust(DEVICE, 3600, now);
    await stub.trust("o".repeat(22), 1, now - 10_000);
    // The alarm may have run already (it was due); running it again changes nothing.
    // The test project's Env is wider than the Worker's own (test/env.d.ts), so the instance is typed as any DurableObject.
    await runInDurableObject(stub, (instance) => {
      if (!instance.alarm) throw new Error("the limiter has no alarm handler");
      return instance.alarm();
    });
    const keys = await runInDurableObject(stub, (_, state) => [...state.storage.kv.list()].map(([key]) => key));
    expect(keys.sort()).toEqual([`d:${DEVICE}`, "w:verify"]);
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBe(now + 3600_000);
  });
});
