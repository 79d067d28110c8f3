import { createLocalJWKSet, errors, type FlattenedJWSInput, type JSONWebKeySet, type JWTHeaderParameters } from "jose";
import * as z from "zod/mini";
import { base64url, fromBase64url } from "../crypto";
import { log } from "../log";
import type { EdgeKeys } from "../seal/keys";

/** The JWKS could not be fetched and no copy is held. */
export class JwksUnavailable extends Error {
  constructor(reason: string) {
    super(`JWKS unavailable: ${reason}`);
    this.name = "JwksUnavailable";
  }
}

/** A JWKS older than this is fetched again, and the Cache API copy lives as long (docs/API.md). */
const JWKS_MAX_AGE_MS = 600_000;
/** An unknown `kid` refetches at most once per this long. */
const JWKS_COOLDOWN_MS = 30_000;

/** A key set as jose's createLocalJWKSet takes it: `keys`, a list of objects (jose checks each key). */
const Jwks = z.lazy(() => z.object({ keys: z.array(z.looseObject({})) }));
/** A copy as storeWarmCopy writes it: the key set and when it was stored. */
const WarmCopy = z.lazy(() => z.object({ uat: z.number(), jwks: Jwks }));
/** What the Cache API holds: the copy as text, and its HMAC under the Worker's key for this purpose. */
const Sealed = z.lazy(() => z.object({ copy: z.string(), mac: z.string() }));

/** The Cache API key of a JWKS copy shared by the isolates of one location. */
export const cacheKey = (url: string) => `https://jwks.cognito-edge.internal/${encodeURIComponent(url)}`;

const encoder = new TextEncoder();
/** What the MAC covers: the JWKS URL (a copy of one pool's keys is no copy of another's) and the copy. */
const macInput = (url: string, copy: string) => encoder.encode(`${url}\0${copy}`);

/**
 * A copy stored at most JWKS_MAX_AGE_MS ago by a Worker holding our key. The
 * cache is the zone's, not ours alone: any Worker on the zone can write this
 * URL, so a copy without a valid MAC is ignored, as is a `uat` in the future
 * (which would keep a copy fresh for ever) or a copy of another shape.
 */
async function readWarmCopy(url: string, keys: EdgeKeys) {
  try {
    const hit = await caches.default.match(cacheKey(url));
    if (!hit) return undefined;
    const { copy, mac } = Sealed.parse(await hit.json());
    let intact = false;
    for (const key of keys.accepted("jwks-copy")) intact ||= await crypto.subtle.verify("HMAC", await key, fromBase64url(mac), macInput(url, copy));
    if (!intact) return undefined;
    const warm = WarmCopy.parse(JSON.parse(copy));
    const age = Date.now() - warm.uat;
    return age >= 0 && age < JWKS_MAX_AGE_MS ? warm : undefined;
  } catch {
    return undefined;
  }
}

/** Leaves a copy of `jwks` in the Cache API, authenticated under `keys`, for the other isolates of this location. */
export async function storeWarmCopy(url: string, jwks: JSONWebKeySet, keys: EdgeKeys): Promise<void> {
  try {
    const copy = JSON.stringify({ uat: Date.now(), jwks });
    const mac = base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await keys.current("jwks-copy"), macInput(url, copy))));
    const headers = { "content-type": "application/json", "cache-control": `max-age=${JWKS_MAX_AGE_MS / 1000}` };
    await caches.default.put(cacheKey(url), new Response(JSON.stringify({ copy, mac }), { headers }));
  } catch (err) {
    log("warn", "jwks_cache_put_failed", { reason: err instanceof Error ? err.name : "unknown" });
  }
}

/** The JWKS at `url`; an answer that is not a key set is a failed fetch, so the keys held stay in use. */
async function download(url: string, timeoutMs: number, keys?: EdgeKeys): Promise<JSONWebKeySet> {
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
  let jwks: JSONWebKeySet;
  try {
    jwks = Jwks.parse(await res.json());
  } catch {
    throw new JwksUnavailable("malformed");
  }
  if (keys) await storeWarmCopy(url, jwks, keys);
  return jwks;
}

/** Resolves the key for a token's header, as jose's compactVerify takes it. */
export type KeyResolver = (header: JWTHeaderParameters, input: FlattenedJWSInput) => Promise<CryptoKey>;

/**
 * The signing keys at `url`, held by one Verifier and so shared by every
 * request of the isolate that uses it (as jose's createRemoteJWKSet, with a
 * warm copy in the Cache API, authenticated under `sealing`; without it,
 * none is read or written).
 *
 * An unknown `kid` refetches the JWKS once, then not again for
 * JWKS_COOLDOWN_MS (aws-jwt-verify's "penalty box"), so a stream of forged
 * kids cannot hammer the JWKS host, while a key rotated in right after a fetch
 * is found at once.
 */
export function remoteKeys(url: string, timeoutMs: number, sealing?: EdgeKeys): KeyResolver {
  let inflight: Promise<JSONWebKeySet> | undefined;
  let lastGood: JSONWebKeySet | undefined;
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
  async function sharedDownload(): Promise<JSONWebKeySet> {
    if (!inflight) {
      fetches++;
      inflight = download(url, timeoutMs, sealing).finally(() => {
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
      const warm = held || reload || !sealing ? undefined : await readWarmCopy(url, sealing);
      return { keySet: createLocalJWKSet(warm?.jwks ?? (await sharedDownload())), at: warm?.uat ?? Date.now() };
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
