// Workers Rate Limiting in the tests. The limits of wrangler.toml (30 to 120 a
// minute) are tested with limiters of the tests' own, which record the keys the
// Worker charges and refuse by a rule the test sets: no flood, no wait for a
// fresh minute. One test per binding still drives the real one (`spent`).
import { expect } from "vitest";
import { withinOneMinute } from "./minute";

/** A Workers Rate Limiting binding that allows `allowed` requests per key and records every key charged, in order. */
export function fakeLimiter(allowed: number) {
  const charged: string[] = [];
  const counts = new Map<string, number>();
  return {
    charged,
    async limit({ key }: { key: string }) {
      charged.push(key);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return { success: n <= allowed };
    },
  };
}

/**
 * Runs `steps` after taking `times` requests from `key`'s bucket of a real
 * binding (miniflare's, configured by wrangler.toml), all within one of its
 * minutes: a few direct calls instead of a flood through the Worker.
 */
export function spent<T>(binding: RateLimit, key: string, times: number, steps: () => Promise<T>): Promise<T> {
  return withinOneMinute(async () => {
    for (let i = 0; i < times; i++) expect((await binding.limit({ key })).success, `request ${i + 1} of ${times}`).toBe(true);
    return steps();
  }, 3_000);
}

/** An IPv6 client's prefix of `bits` (48 or 64) as the per-IP limits key it, written out in full up to the prefix. */
function prefixOf(ip: string, bits: 48 | 64): string {
  const groups = ip.split(":").slice(0, bits / 16);
  return `${groups.map((g) => parseInt(g, 16).toString(16)).join(":")}::/${bits}`;
}
/** The key of an IPv6 client's /64 (src/limits/ip-key.ts): `ip` spelled with its first four groups in full. */
export const slash64 = (ip: string) => prefixOf(ip, 64);
/** The key of an IPv6 client's /48 (SITE_LIMITER): `ip` spelled with its first three groups in full. */
export const slash48 = (ip: string) => prefixOf(ip, 48);
