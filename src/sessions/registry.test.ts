import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { Seen } from "./registry";
import { MAX_SESSIONS } from "./settings";

const registry = () => env.TEST_SESSIONS.get(env.TEST_SESSIONS.newUniqueId());
const DAY = 24 * 3600_000;

let T0 = 0;
beforeEach(() => {
  T0 = Date.now();
});

const seen = (sid: string, extra: Partial<Seen> = {}): Seen => ({ sid, device: `UA ${sid}`, sealed: `sealed-${sid}`, expiresAt: T0 + 30 * DAY, ...extra });
const token = (id: string, expMs = T0 + 3600_000) => ({ id, lifeS: 3600, expMs });

describe("SessionRegistry", () => {
  it("ends the oldest sign-ins beyond the cap, and answers them with their refresh tokens", async () => {
    const stub = registry();
    expect(await stub.signedIn(seen("a"), 2, T0)).toEqual([]);
    expect(await stub.signedIn(seen("b"), 2, T0 + 1)).toEqual([]);
    const ended = await stub.signedIn(seen("c"), 2, T0 + 2);
    expect(ended.map((e) => [e.sid, e.sealed])).toEqual([["a", "sealed-a"]]);
    expect((await stub.list(T0 + 3)).map((e) => e.sid)).toEqual(["c", "b"]);
    // The list never shows a refresh token.
    expect((await stub.list(T0 + 3)).some((e) => "sealed" in e)).toBe(false);
  });

  it("keeps at most MAX_SESSIONS whatever the cap says", async () => {
    const stub = registry();
    for (let i = 0; i <= MAX_SESSIONS; i++) await stub.signedIn(seen(`s${i}`), undefined, T0 + i);
    const listed = await stub.list(T0 + MAX_SESSIONS + 1);
    expect(listed).toHaveLength(MAX_SESSIONS);
    expect(listed.map((e) => e.sid)).not.toContain("s0");
  });

  it("refuses a refresh of an ended session, records an unknown one, and keeps the newest unexpired access tokens", async () => {
    const stub = registry();
    await stub.signedIn(seen("a", { token: token("j0", T0 + 1) }), undefined, T0);
    for (let i = 1; i <= 5; i++)
      expect(await stub.refreshed(seen("a", { token: token(`j${i}`), sealed: undefined }), T0 + 10 + i)).toEqual({ ended: false, evicted: [] });
    const [entry] = await stub.list(T0 + 20);
    expect(entry.tokens.map((t) => t.id)).toEqual(["j2", "j3", "j4", "j5"]);
    expect(entry.lastUsedAt).toBe(T0 + 15);
    expect(entry.createdAt).toBe(T0);
    // A refresh that kept its refresh token keeps the sealed one.
    expect((await stub.end("a", T0 + 21))?.sealed).toBe("sealed-a");
    expect(await stub.refreshed(seen("a"), T0 + 22)).toEqual({ ended: true, evicted: [] });
    expect(await stub.end("a", T0 + 23)).toBeUndefined();
    expect(await stub.refreshed(seen("legacy"), T0 + 24)).toEqual({ ended: false, evicted: [] });
    expect((await stub.list(T0 + 25)).map((e) => e.sid)).toEqual(["legacy"]);
  });

  it("ends every session at once", async () => {
    const stub = registry();
    await stub.signedIn(seen("a"), undefined, T0);
    await stub.signedIn(seen("b"), undefined, T0 + 1);
    expect((await stub.endAll(T0 + 2)).map((e) => e.sid).sort()).toEqual(["a", "b"]);
    expect(await stub.list(T0 + 3)).toEqual([]);
    expect((await stub.refreshed(seen("b"), T0 + 4)).ended).toBe(true);
  });

  it("deletes expired sessions and ended marks at its alarm", async () => {
    const stub = registry();
    await stub.signedIn(seen("old", { expiresAt: T0 + 50 }), undefined, T0);
    await stub.signedIn(seen("new"), undefined, T0);
    await stub.end("new", T0 + 1);
    await stub.signedIn(seen("live"), undefined, T0 + 2);
    await new Promise((r) => setTimeout(r, 60));
    await runInDurableObject(stub, (instance) => {
      if (!instance.alarm) throw new Error("the registry has no alarm handler");
      return instance.alarm();
    });
    const keys = await runInDurableObject(stub, (_, state) => [...state.storage.kv.list()].map(([key]) => key).sort());
    expect(keys).toEqual(["s:live", "x:new"]);
  });
});
