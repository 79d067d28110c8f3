import { ApiError } from "./api-error";

/** How long the client keeps trying a refresh that met throttling, an outage, a timeout or a lost network. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4). */
  tries?: number;
  /** Seconds of waiting in all, Retry-After included; an answer asking for more fails at once (default 60). */
  maxWaitS?: number;
  /** Milliseconds an attempt may take before it counts as a `timeout` (default 10,000). */
  timeoutMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = { tries: 4, maxWaitS: 60, timeoutMs: 10_000 };

/** No answer, throttling (429) and the gateway and outage statuses: the same request may succeed later. */
const TRANSIENT = new Set([0, 429, 502, 503, 504]);

export const isTransient = (err: unknown): err is ApiError => err instanceof ApiError && TRANSIENT.has(err.status);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds or fails for good; a transient failure is
 * tried again after its Retry-After (RFC 9110 §10.2.3), else after 1, 2, 4 s,
 * within `tries` and `maxWaitS`. Throws the last failure.
 */
export async function retrying<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { tries, maxWaitS } = { ...RETRY_DEFAULTS, ...options };
  let waitedS = 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err) || n >= tries) throw err;
      const waitS = err.retryAfter ?? 2 ** (n - 1);
      if (waitedS + waitS > maxWaitS) throw err;
      waitedS += waitS;
      await sleep(waitS * 1000);
    }
  }
}
