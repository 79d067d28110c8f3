// The typed client in session delivery (SESSION_MODE=browser): it holds no
// token, sends every request with credentials, and the Worker's HttpOnly
// cookies are the session: sign-in, the profile, the gateway, the Worker's
// own refresh, step-up, restore on reload and logout.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ApiError, type ClientOptions, CognitoEdgeClient, type SignedOutReason } from "../../src/client";
import { BROWSER } from "../support/browser";
import { BASE, type WorkerFetch, workerFetch } from "../support/client";
import { lastCode } from "../support/user-auth";
import { newEmail, ORIGIN, PASSWORD, registeredUser, untilPast } from "../support/worker";

/** The stand-in's access tokens live a day: a minute before they expire, the Worker refreshes the session. */
const NEAR_EXPIRY_MS = (24 * 3600 - 60) * 1000;
/** A JWT (access or ID token) or our sealed refresh token. */
const TOKEN = /eyJ[\w-]+\.|ce2\./;

afterEach(() => {
  vi.useRealTimers();
});

/**
 * A page (workerFetch `browser`) with a session client;
 * every answer's text and every request's Authorization header are kept to be
 * searched for tokens.
 */
function sessionPage(env: Record<string, unknown> = {}, extra: Partial<ClientOptions> = {}) {
  // With the gateway on, pages of the Worker's origin may be the upstream's, so the app's page is on a
  // site of its own listed in CORS_ORIGINS (docs/API.md, the Origin rule), as it must be in production.
  const pageOrigin = env.UPSTREAM ? ORIGIN : undefined;
  const fetcher = workerFetch({ envOverrides: { ...BROWSER, ...env }, browser: true, pageOrigin });
  const seen: string[] = [];
  const authorizations: string[] = [];
  const recording: typeof fetch = async (input, init) => {
    const auth = new Headers(init?.headers).get("Authorization");
    if (auth) authorizations.push(auth);
    const res = await fetcher.fetch(input, init);
    seen.push(await res.clone().text());
    return res;
  };
  const signedOut: SignedOutReason[] = [];
  const options: ClientOptions = { baseUrl: BASE, delivery: "session", fetch: recording, onSignedOut: (r) => signedOut.push(r), ...extra };
  const client = new CognitoEdgeClient(options);
  /** How many answers and request headers held a token: counted, never printed. */
  const tokensSeen = () => [...seen, ...authorizations].filter((text) => TOKEN.test(text)).length;
  return { client, fetcher, options, recording, signedOut, seen, tokensSeen };
}

const every = (fetcher: WorkerFetch, key: "credentials") => [...new Set(fetcher.calls.map((c) => c[key]))];

describe("typed client in session delivery (SESSION_MODE=browser)", () => {
  it("signs in, reads the profile and calls the gateway with the cookie alone; no token reaches it", async () => {
    const { email, password } = await registeredUser();
    const { client, fetcher, seen, tokensSeen } = sessionPage({ UPSTREAM: env.TEST_UPSTREAM });
    expect(await client.login({ email, password })).toEqual({ status: "signedIn" });
    expect(client.signedIn).toBe(true);
    expect(client.user).toMatchObject({ sub: expect.any(String), email, groups: [], expiresAt: expect.any(String) });
    expect(Date.parse(String(client.user?.expiresAt))).toBeGreaterThan(Date.now());
    expect(fetcher.cookies()).toMatch(/__Host-edge-session=/);

    expect((await client.me()).email).toBe(email);
    expect(seen).toHaveLength(2);
    expect(tokensSeen(), "answers and Authorization headers that held a token").toBe(0);

    const res = await client.fetch("/api/orders?x=1");
    expect(res.status).toBe(200);
    // The test upstream echoes what it got: the identity, and the gateway's own signed assertion (a JWT
    // for the upstream, not a Cognito token); no Authorization, no cookie of the Worker's.
    const { headers } = (await res.json()) as { headers: Record<string, string> };
    expect(headers["x-auth-sub"]).toBe(client.user?.sub);
    expect(headers).not.toHaveProperty("authorization");
    expect(headers.cookie ?? "").not.toMatch(/__Host-/);
    const { "x-auth-assertion": _, ...rest } = headers;
    expect(JSON.stringify(rest)).not.toMatch(TOKEN);

    expect(client.accessToken).toBeUndefined();
    expect(client.idToken).toBeUndefined();
    expect(JSON.stringify(client.user)).not.toMatch(TOKEN);
    expect(every(fetcher, "credentials")).toEqual(["include"]);
  });

  it("lets the Worker refresh the session near the token's expiry: no refresh call of its own", async () => {
    const { email, password } = await registeredUser();
    const { client, fetcher, tokensSeen } = sessionPage();
    await client.login({ email, password });
    const before = fetcher.cookies();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + NEAR_EXPIRY_MS);
    expect((await client.me()).email).toBe(email);
    // The Worker set a new session cookie on that answer, and the client never asked for it.
    expect(fetcher.cookies().match(/__Host-edge-session=[^;]+/)?.[0]).not.toBe(before.match(/__Host-edge-session=[^;]+/)?.[0]);
    expect(fetcher.count("POST", "/auth/refresh")).toBe(0);
    expect((await client.me()).email).toBe(email);
    expect(tokensSeen()).toBe(0);
  });

  it("restores on reload by asking /auth/me with the cookie, and answers false without one", async () => {
    const { email, password } = await registeredUser();
    const first = sessionPage();
    await first.client.login({ email, password });
    // A reload: a new client, the same browser (its cookies).
    const reloaded = new CognitoEdgeClient({ ...first.options });
    expect(await reloaded.restore()).toBe(true);
    expect(reloaded.user).toMatchObject({ sub: first.client.user?.sub, email, groups: [] });
    expect(first.fetcher.calls.slice(-1)).toEqual([expect.objectContaining({ method: "GET", path: "/auth/me", status: 200 })]);
    expect(first.fetcher.count("POST", "/auth/refresh")).toBe(0);
    expect(reloaded.accessToken).toBeUndefined();

    const fresh = sessionPage();
    expect(await fresh.client.restore()).toBe(false);
    expect(fresh.client.signedIn).toBe(false);
  });

  it("logs out through the route: the cookies go, and a copy of the session is refused afterwards", async () => {
    const { email, password } = await registeredUser();
    const { client, fetcher, signedOut } = sessionPage();
    await client.login({ email, password });
    const cookies = fetcher.cookies();
    await client.logout();
    expect(signedOut).toEqual(["logout"]);
    expect(client.signedIn).toBe(false);
    expect(fetcher.calls.find((c) => c.path === "/auth/logout")).toMatchObject({ method: "POST", status: 204, credentials: "include" });
    expect(fetcher.cookies()).not.toMatch(/__Host-(edge-session|refresh)=/);
    await expect(client.me()).rejects.toMatchObject({ status: 401 });
    // A copy of the cookies taken before the logout (a stolen cookie) is refused too.
    const copy = await fetcher.fetch(`${BASE}/auth/me`, { headers: { Cookie: cookies } });
    expect(copy.status).toBe(401);
  });

  it("tells the app once when the Worker no longer takes the session (ended elsewhere)", async () => {
    const { email, password } = await registeredUser();
    const { client, signedOut } = sessionPage();
    await client.login({ email, password });
    const other = sessionPage();
    await other.client.login({ email, password });
    await other.client.logout({ global: true });
    // Within SESSION_CHECK_S the session is not asked about again: move past it.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    await expect(client.me()).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(signedOut).toEqual(["session_ended"]);
    expect(client.signedIn).toBe(false);
  });

  it("re-authenticates on step-up with a new session, then retries", async () => {
    const { email, password } = await registeredUser();
    const prompts: string[] = [];
    const page = sessionPage({ REAUTH_MAX_AGE_S: "1" }, { reauthenticate: (context) => signInAgain(context) });
    async function signInAgain(context: { email?: string; error: ApiError }) {
      prompts.push(`${context.email} ${context.error.code}`);
      await page.client.login({ email, password });
    }
    await page.client.login({ email, password });
    await untilPast(Math.floor(Date.now() / 1000) + 2);
    expect(await page.client.passkeys.startRegistration()).toMatchObject({ credentialCreationOptions: expect.any(Object) });
    expect(prompts).toEqual([`${email} reauthentication_required`]);
    const starts = page.fetcher.calls.filter((c) => c.path === "/auth/passkeys/registration").map((c) => c.status);
    expect(starts).toEqual([401, 200]);
    expect(page.tokensSeen()).toBe(0);
  });

  it("is signed in by the confirmation of a registration", async () => {
    const { client, tokensSeen } = sessionPage();
    const email = newEmail();
    await client.register({ email, password: PASSWORD, name: "Ada" });
    expect(await client.verifyEmail({ email, code: await lastCode(email) })).toEqual({ confirmed: true, signedIn: true });
    expect(client.user).toMatchObject({ email });
    expect((await client.me()).email).toBe(email);
    expect(tokensSeen()).toBe(0);
  });

  it("sends a credentialed request to the Worker's origin only: a foreign path is refused before any request", async () => {
    const { email, password } = await registeredUser();
    const { client, fetcher } = sessionPage({ UPSTREAM: env.TEST_UPSTREAM });
    await client.login({ email, password });
    const before = fetcher.calls.length;
    for (const path of ["//evil.example/x", "https://evil.example/x", "\\\\evil.example/x"]) {
      await expect(client.fetch(path)).rejects.toThrow(TypeError);
    }
    expect(fetcher.calls).toHaveLength(before);
  });

  it("refuses to hold tokens when the Worker answers them (SESSION_MODE is not browser)", async () => {
    const { email, password } = await registeredUser();
    const { client } = sessionPage({ SESSION_MODE: "" });
    await expect(client.login({ email, password })).rejects.toThrow(/SESSION_MODE=browser/);
    expect(client.signedIn).toBe(false);
    expect(client.accessToken).toBeUndefined();
  });
});
