import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";
import { log } from "../log";

/** The JWKS could not be fetched and no copy is held. */
export class JwksUnavailable extends Error {
  constructor(reason: string) {
    super(`JWKS unavailable: ${reason}`);
    this.name = "JwksUnavailable";
  }
}

/** Per-URL fetch state shared by every request of this isolate. */
interface Source {
  inflight?: Promise<string>;
  lastGood?: string;
  fetches: number;
}

const sources = new Map<string, Source>();
const keySets = new Map<string, JWTVerifyGetKey>();

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
  return res.text();
}

/**
 * jose's remote key set, fed through one shared download per isolate: on Workers
 * jose starts a fetch per caller (it cannot share promises across requests), so
 * concurrent cold requests would each hit the JWKS. The last good JWKS is served
 * if a refetch fails, so an outage after keys are cached does not stop verification.
 */
function sharedFetch(timeoutMs: number) {
  return async (url: string): Promise<Response> => {
    let source = sources.get(url);
    if (!source) {
      source = { fetches: 0 };
      sources.set(url, source);
    }
    const state = source;
    if (!state.inflight) {
      state.fetches++;
      state.inflight = download(url, timeoutMs).finally(() => {
        state.inflight = undefined;
      });
    }
    try {
      state.lastGood = await state.inflight;
    } catch (err) {
      if (!state.lastGood) throw err;
      log("warn", "jwks_refetch_failed", { reason: err instanceof Error ? err.message : "unknown" });
    }
    return new Response(state.lastGood, { headers: { "content-type": "application/json" } });
  };
}

/** The isolate's key set for `jwksUrl`, created once. */
export function keySetFor(jwksUrl: string, timeoutMs: number): JWTVerifyGetKey {
  let keySet = keySets.get(jwksUrl);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(jwksUrl), {
      timeoutDuration: timeoutMs + 1000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
      [customFetch]: sharedFetch(timeoutMs),
    });
    keySets.set(jwksUrl, keySet);
  }
  return keySet;
}

/** How many JWKS downloads this isolate has started for `jwksUrl` (for tests and benchmarks). */
export const jwksFetchCount = (jwksUrl: string): number => sources.get(jwksUrl)?.fetches ?? 0;
