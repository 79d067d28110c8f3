import { createLocalJWKSet, errors, type FlattenedJWSInput, type JSONWebKeySet, type JWTHeaderParameters } from "jose";
import { log } from "../log";

/** The JWKS could not be fetched and no copy is held. */
export class JwksUnavailable extends Error {
  constructor(reason: string) {
    super(`JWKS unavailable: ${reason}`);
    this.name = "JwksUnavailable";
  }
}

/** A JWKS older than this is fetched again, and the Cache API copy lives as long (docs/API.md). */
export const JWKS_MAX_AGE_MS = 600_000;
/** An unknown `kid` refetches at most once per this long. */
export const JWKS_COOLDOWN_MS = 30_000;

/** The Cache API key of a JWKS copy shared by the isolates of one location. */
export const cacheKey = (url: string) => `https://jwks.cognito-edge.internal/${encodeURIComponent(url)}`;

/**
 * A copy as storeWarmCopy writes it, stored at most JWKS_MAX_AGE_MS ago. The
 * cache is the zone's, not ours alone: a `uat` in the future (which would keep
 * a planted copy fresh for ever) or a malformed copy is ignored.
 */
interface WarmCopy {
  uat: number;
  jwks: JSONWebKeySet;
}

function isFreshCopy(copy: unknown): copy is WarmCopy {
  if (typeof copy !== "object" || copy === null || !("uat" in copy) || !("jwks" in copy)) return false;
  const { uat, jwks } = copy;
  const age = Date.now() - Number(uat);
  const keys = typeof jwks === "object" && jwks !== null && "keys" in jwks ? jwks.keys : undefined;
  return age >= 0 && age < JWKS_MAX_AGE_MS && Array.isArray(keys);
}

async function readWarmCopy(url: string): Promise<WarmCopy | undefined> {
  try {
    const hit = await caches.default.match(cacheKey(url));
    const copy: unknown = hit ? await hit.json() : undefined;
    return isFreshCopy(copy) ? copy : undefined;
  } catch {
    return undefined;
  }
}

async function storeWarmCopy(url: string, text: string): Promise<void> {
  try {
    const body = JSON.stringify({ uat: Date.now(), jwks: JSON.parse(text) });
    const headers = { "content-type": "application/json", "cache-control": `max-age=${JWKS_MAX_AGE_MS / 1000}` };
    await caches.default.put(cacheKey(url), new Response(body, { headers }));
  } catch (err) {
    log("warn", "jwks_cache_put_failed", { reason: err instanceof Error ? err.name : "unknown" });
  }
}

async function download(url: string, timeoutMs: number): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new JwksUnavailable(err instanceof Error && err.name === "TimeoutError" ? "timeout" : "network");
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new JwksUnavailable(`status ${res.status}`);
  }
  const text = await res.text();
  await storeWarmCopy(url, text);
  return text;
}

/** Resolves the key for a token's header, as jose's compactVerify takes it. */
export type KeyResolver = (header: JWTHeaderParameters, input: FlattenedJWSInput) => Promise<CryptoKey>;

/**
 * The signing keys at `url`, held by one Verifier and so shared by every
 * request of the isolate that uses it (as jose's createRemoteJWKSet, with a
 * warm copy in the Cache API).
 *
 * An unknown `kid` refetches the JWKS once, then not again for
 * JWKS_COOLDOWN_MS (aws-jwt-verify's "penalty box"), so a stream of forged
 * kids cannot hammer the JWKS host, while a key rotated in right after a fetch
 * is found at once.
 */
export function remoteKeys(url: string, timeoutMs: number): KeyResolver {
  let inflight: Promise<string> | undefined;
  let lastGood: string | undefined;
  let fetches = 0;
  /** The key set in use and when its JWKS was fetched (or stored, for a warm copy). */
  let keys: Promise<{ keySet: ReturnType<typeof createLocalJWKSet>; at: number }> | undefined;
  /** When an unknown kid last caused a refetch (the "penalty box"). */
  let unknownKidAt: number | undefined;

  /**
   * One download at a time, also when many cold requests arrive at once. The
   * last good JWKS is served if a refetch fails, so an outage after keys are
   * held does not stop verification.
   */
  async function sharedDownload(): Promise<string> {
    if (!inflight) {
      fetches++;
      inflight = download(url, timeoutMs).finally(() => {
        inflight = undefined;
      });
    }
    try {
      lastGood = await inflight;
    } catch (err) {
      if (!lastGood) throw err;
      log("warn", "jwks_refetch_failed", { reason: err instanceof Error ? err.message : "unknown" });
    }
    return lastGood;
  }

  /** The key set: held for JWKS_MAX_AGE_MS, then (or when `reload`) fetched again. */
  async function keySet(reload = false) {
    const held = await keys?.catch(() => undefined);
    if (held && !reload && Date.now() - held.at < JWKS_MAX_AGE_MS) return held.keySet;
    keys = (async () => {
      // A fresh copy left in the Cache API by another isolate of this location saves the cold fetch.
      const warm = held || reload ? undefined : await readWarmCopy(url);
      const jwks = warm?.jwks ?? (JSON.parse(await sharedDownload()) as JSONWebKeySet);
      return { keySet: createLocalJWKSet(jwks), at: warm?.uat ?? Date.now() };
    })();
    return (await keys).keySet;
  }

  return async (header, input) => {
    const fetchesBefore = fetches;
    const held = await keySet();
    try {
      return await held(header, input);
    } catch (err) {
      const penalised = unknownKidAt !== undefined && Date.now() - unknownKidAt < JWKS_COOLDOWN_MS;
      if (!(err instanceof errors.JWKSNoMatchingKey) || penalised || fetches > fetchesBefore) throw err;
      unknownKidAt = Date.now();
      return (await keySet(true))(header, input);
    }
  };
}
