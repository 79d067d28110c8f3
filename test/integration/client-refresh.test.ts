// The typed client keeps its session through everything but a refused refresh
// token: a refresh that meets throttling (429), an outage (503), a timeout or a
// lost network is tried again after Retry-After, within bounds, and the session
// survives even when the retries run out. Only 401 invalid_refresh_token signs
// out (client.test.ts). The 429 and 503 are the Worker's own answers to
// Cognito's throttling and outage (the strict layer's faults) or to its limiter.
import { afterEach, describe, expect, it, vi } from "vitest";
import { CognitoEdgeClient, type ClientOptions, type SignedOutReason } from "../../src/client";
import { BASE, type WorkerFetch, workerFetch } from "../support/client";
import { claimsOf, injectFault, registeredUser } from "../support/worker";

/** Past the access token's exp (cognito-local's tokens live a day) and the 60 s tolerance: the Worker answers token_expired. */
const expireAccessTokens = () => vi.setSystemTime(Date.now() + 2 * 24 * 3600 * 1000);
/** Cognito's clock is the real one: the Worker's must be too from the refresh on. */
const realClockFromRefresh = (path: string) => {
  if (path === "/auth/refresh") vi.useRealTimers();
};

afterEach(() => {
  vi.useRealTimers();
});

/** A body-delivery client of the Worker, signed in with a fresh user, its access token expired. */
async function expiredSession(options: { fetcher?: WorkerFetch; wrap?: (f: typeof fetch) => typeof fetch; extra?: Partial<ClientOptions> } = {}) {
  const { email, password } = await registeredUser();
  const fetcher = options.fetcher ?? workerFetch({ before: realClockFromRefresh });
  const box: { token: string | null } = { token: null };
  const signedOut: SignedOutReason[] = [];
  const client = new CognitoEdgeClient({
    baseUrl: BASE,
    delivery: "body",
    storage: { get: () => box.token, set: (token) => void (box.token = token) },
    fetch: options.wrap ? options.wrap(fetcher.fetch) : fetcher.fetch,
    onSignedOut: (reason) => signedOut.push(reason),
    ...options.extra,
  });
  await client.login({ email, password });
  const username = String(claimsOf(client.accessToken ?? "").username);
  const refreshToken = box.token;
  vi.useFakeTimers({ toFake: ["Date"] });
  expireAccessTokens();
  return { client, fetcher, box, signedOut, email, username, refreshToken };
}

/** The Retry-After the tests hand the client in place of the Worker's: between its first backoff (1 s) and the Worker's 5 s. */
const RETRY_AFTER_S = 2;

const refreshStatuses = (fetcher: WorkerFetch) => fetcher.calls.filter((c) => c.path === "/auth/refresh").map((c) => c.status);

describe("typed client: a refresh that fails for a while", () => {
  it.each([
    ["throttle", 429],
    ["500", 503],
  ])("keeps the session through Cognito's %s (the Worker answers %i) and retries after Retry-After", { timeout: 30_000 }, async (kind, status) => {
    // When each refresh was answered (the clock is the real one again by then), and the Worker's Retry-After.
    const answered: number[] = [];
    const workerRetryAfter: (string | null)[] = [];
    const session = await expiredSession({
      wrap: (f) => async (input, init) => {
        const res = await f(input, init);
        if (!String(input).endsWith("/auth/refresh")) return res;
        answered.push(Date.now());
        workerRetryAfter.push(res.headers.get("Retry-After"));
        if (res.status !== status) return res;
        // The client is told to wait RETRY_AFTER_S rather than the Worker's 5 s: longer than its own first backoff (1 s), so only an honoured Retry-After explains the gap.
        const headers = new Headers(res.headers);
        headers.set("Retry-After", String(RETRY_AFTER_S));
        return new Response(res.body, { status: res.status, headers });
      },
    });
    await injectFault({ op: "InitiateAuth", username: session.username, kind, times: 1 });
    expect((await session.client.me()).email).toBe(session.email);
    expect(refreshStatuses(session.fetcher)).toEqual([status, 200]);
    expect(workerRetryAfter[0]).toBe("5");
    // The Retry-After was honoured.
    expect(answered[1] - answered[0]).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
    expect(session.signedOut).toEqual([]);
    expect(session.box.token).toMatch(/^ce2\./);
  });

  it("keeps the session through a lost network and retries", { timeout: 30_000 }, async () => {
    let lost = 1;
    const session = await expiredSession({
      wrap: (f) => async (input, init) => {
        if (String(input).endsWith("/auth/refresh") && lost-- > 0) throw new TypeError("Failed to fetch");
        return f(input, init);
      },
    });
    expect((await session.client.me()).email).toBe(session.email);
    expect(refreshStatuses(session.fetcher)).toEqual([200]);
    expect(session.signedOut).toEqual([]);
  });

  it("keeps the session through a refresh that does not answer in time and retries", { timeout: 30_000 }, async () => {
    let hung = 1;
    const session = await expiredSession({
      extra: { refreshRetry: { timeoutMs: 300 } },
      wrap: (f) => async (input, init) => {
        if (String(input).endsWith("/auth/refresh") && hung-- > 0) {
          // No answer: only the client's own deadline ends the wait.
          return new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
        }
        return f(input, init);
      },
    });
    expect((await session.client.me()).email).toBe(session.email);
    expect(session.signedOut).toEqual([]);
  });

  it("gives up within its bounds and keeps the session: the call fails with the Worker's 429, the next one succeeds", { timeout: 30_000 }, async () => {
    // The Worker's own per-IP limiter, spent: 429 with Retry-After 60, more than this client waits.
    let allow = false;
    const REFRESH_LIMITER = { limit: async () => ({ success: allow }) };
    const fetcher = workerFetch({ before: realClockFromRefresh, envOverrides: { REFRESH_LIMITER } });
    const session = await expiredSession({ fetcher, extra: { refreshRetry: { maxWaitS: 10 } } });
    await expect(session.client.me()).rejects.toMatchObject({ status: 429, code: "too_many_requests", retryAfter: 60 });
    expect(refreshStatuses(fetcher)).toEqual([429]);
    expect(session.signedOut).toEqual([]);
    expect(session.client.signedIn).toBe(true);
    expect(session.box.token).toBe(session.refreshToken);

    allow = true;
    vi.useFakeTimers({ toFake: ["Date"] });
    expireAccessTokens();
    expect((await session.client.me()).email).toBe(session.email);
  });

  it("stops after `tries` attempts on a lasting outage, keeps the session, and restore() throws rather than answer false", { timeout: 30_000 }, async () => {
    const outage = () => new Response(JSON.stringify({ code: "upstream_unavailable", status: 503 }), {
      status: 503,
      headers: { "Content-Type": "application/problem+json", "Retry-After": "0" },
    });
    let refreshes = 0;
    const session = await expiredSession({
      extra: { refreshRetry: { tries: 3 } },
      wrap: (f) => async (input, init) => (String(input).endsWith("/auth/refresh") && ++refreshes ? outage() : f(input, init)),
    });
    await expect(session.client.me()).rejects.toMatchObject({ status: 503, code: "upstream_unavailable" });
    expect(refreshes).toBe(3);
    expect(session.signedOut).toEqual([]);
    expect(session.box.token).toBe(session.refreshToken);
    await expect(session.client.restore()).rejects.toMatchObject({ status: 503 });
    expect(refreshes).toBe(6);
    expect(session.box.token).toBe(session.refreshToken);
  });
});
