import { describe, expect, it } from "vitest";
import type { AccessClaims } from "./claims";
import { VerifiedCache } from "./verified-cache";

const claims = (sub: string) => ({ sub }) as AccessClaims;

describe("VerifiedCache", () => {
  it("evicts the oldest unused entry beyond maxEntries, keeping recently used ones", () => {
    const cache = new VerifiedCache(2, 1_000_000);
    cache.set("a", claims("a"));
    cache.set("b", claims("b"));
    expect(cache.get("a")?.sub).toBe("a");
    cache.set("c", claims("c"));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.sub).toBe("a");
    expect(cache.get("c")?.sub).toBe("c");
    expect(cache.size).toBe(2);
  });

  it("bounds the total bytes of the tokens it holds", () => {
    const cache = new VerifiedCache(1000, 100);
    for (let i = 0; i < 50; i++) cache.set(`${i}`.padStart(30, "x"), claims(String(i)));
    expect(cache.totalBytes).toBeLessThanOrEqual(100);
    expect(cache.size).toBe(3);
  });

  it("keeps its byte count right when a token is set twice or deleted", () => {
    const cache = new VerifiedCache(10, 1000);
    cache.set("token", claims("a"));
    cache.set("token", claims("b"));
    expect(cache.totalBytes).toBe(5);
    cache.delete("token");
    expect(cache.totalBytes).toBe(0);
    expect(cache.size).toBe(0);
  });
});
