import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type ExportedJWKSCache,
  type FlattenedJWSInput,
  jwksCache,
  type JWTHeaderParameters,
  type RemoteJWKSet,
} from "jose";
import { log } from "../log";

/** The JWKS could not be fetched and no copy is held. */
export class JwksUnavailable extends Error {
  constructor(reason: string) {
    super(`JWKS unavailable: ${reason}`);
    this.name = "JwksUnavailable";
  }
}

/** jose refreshes a JWKS older than this, and the Cache API copy lives as long (docs/API.md, issue #3). */
export const JWKS_MAX_AGE_MS = 600_000;
/** An unknown `kid` refetches at most once per this long. */
export const JWKS_COOLDOWN_MS = 30_000;

/** Per-URL state shared by every request of this isolate. */
interface Source {
  inflight?: Promise<string>;
  lastGood?: string;
  fetches: number;
  keySet?: Promise<RemoteJWKSet>;
  /** When an unknown kid last caused a refetch (the "penalty box" of aws-jwt-verify). */
  unknownKidAt?: number;
}

const sources = new Map<string, Source>();

function sourceFor(url: string): Source {
  let source = sources.get(url);
  if (!source) {
    source = { fetches: 0 };
    sources.set(url, source);
  }
  return source;
}

/** The Cache API key of a JWKS copy shared by the isolates of one location. */
export const cacheKey = (url: string) => `https://jwks.cognito-edge.internal/${encodeURIComponent(url)}`;

/**
 * A copy as storeWarmCopy writes it, stored at most JWKS_MAX_AGE_MS ago. The
 * cache is the zone's, not ours alone: a `uat` in the future (which would keep
 * a planted copy fresh for ever) or a malformed copy is ignored.
 */
function isFreshCopy(copy: unknown): copy is ExportedJWKSCache {
  if (typeof copy !== "object" || copy === null || !("uat" in copy) || !("jwks" in copy)) return false;
  const { uat, jwks } = copy;
  const age = Date.now() - Number(uat);
  const keys = typeof jwks === "object" && jwks !== null && "keys" in jwks ? jwks.keys : undefined;
  return age >= 0 && age < JWKS_MAX_AGE_MS && Array.isArray(keys);
}

async function readWarmCopy(url: string): Promise<ExportedJWKSCache | undefined> {
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

/**
 * jose's remote key set, fed through one shared download per isolate: on Workers
 * jose starts a fetch per caller (it cannot share promises across requests), so
 * concurrent cold requests would each hit the JWKS. The last good JWKS is served
 * if a refetch fails, so an outage after keys are cached does not stop verification.
 */
function sharedFetch(source: Source, timeoutMs: number) {
  return async (url: string): Promise<Response> => {
    if (!source.inflight) {
      source.fetches++;
      source.inflight = download(url, timeoutMs).finally(() => {
        source.inflight = undefined;
      });
    }
    try {
      source.lastGood = await source.inflight;
    } catch (err) {
      if (!source.lastGood) throw err;
      log("warn", "jwks_refetch_failed", { reason: err instanceof Error ? err.message : "unknown" });
    }
    return new Response(source.lastGood, { headers: { "content-type": "application/json" } });
  };
}

async function createKeySet(url: string, source: Source, timeoutMs: number): Promise<RemoteJWKSet> {
  // jose's jwksCache hook: a fresh copy left in the Cache API by another isolate
  // of this location saves the cold fetch.
  const warm = await readWarmCopy(url);
  if (warm) source.lastGood = JSON.stringify(warm.jwks);
  return createRemoteJWKSet(new URL(url), {
    timeoutDuration: timeoutMs + 1000,
    cooldownDuration: JWKS_COOLDOWN_MS,
    cacheMaxAge: JWKS_MAX_AGE_MS,
    [customFetch]: sharedFetch(source, timeoutMs),
    [jwksCache]: warm ?? {},
  });
}

/**
 * The key for a token's header from the isolate's key set for `jwksUrl`
 * (created once). An unknown `kid` refetches the JWKS once, then not again for
 * JWKS_COOLDOWN_MS, so a stream of forged kids cannot hammer the JWKS host.
 */
export async function resolveKey(
  jwksUrl: string,
  timeoutMs: number,
  header: JWTHeaderParameters,
  input: FlattenedJWSInput,
): Promise<CryptoKey> {
  const source = sourceFor(jwksUrl);
  source.keySet ??= createKeySet(jwksUrl, source, timeoutMs);
  const keySet = await source.keySet;
  const fetchesBefore = source.fetches;
  try {
    return await keySet(header, input);
  } catch (err) {
    const penalised = source.unknownKidAt !== undefined && Date.now() - source.unknownKidAt < JWKS_COOLDOWN_MS;
    // jose refetches by itself when its last fetch is older than the cooldown.
    if (!(err instanceof errors.JWKSNoMatchingKey) || penalised || source.fetches > fetchesBefore) throw err;
    source.unknownKidAt = Date.now();
    await keySet.reload();
    return keySet(header, input);
  }
}
