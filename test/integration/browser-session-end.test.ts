// SESSION_MODE=browser: a session ends everywhere it lives. A copy of the
// cookie is refused after logout, sign-out, disable; a cookie this Worker did
// not seal is refused before Cognito is asked; the Worker refreshes the
// access token once for concurrent requests, and a refused refresh ends the
// session with its cookies.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { BROWSER, browserUser, fromPage, jar, REFRESH_COOKIE, SESSION_COOKIE } from "../support/browser";
import { adminUser, expectProblem, isSecretClient, ORIGIN, send, setCookie, taggedCognito, withKv } from "../support/worker";

const GATEWAY = { UPSTREAM: env.TEST_UPSTREAM };
/** The stand-in's access tokens live a day: this is a minute before they expire. */
const NEAR_EXPIRY_MS = (24 * 3600 - 60) * 1000;

afterEach(() => {
  vi.useRealTimers();
});

/** Asserts a 401 that ends the session: both cookies expired. */
async function expectEnded(res: Response) {
  await expectProblem(res, 401, "unauthorized");
  expect(setCookie(res, SESSION_COOKIE)).toMatch(/Max-Age=0/);
  expect(setCookie(res, REFRESH_COOKIE)).toMatch(/Max-Age=0/);
}

const sessionValue = (cookie: string) => String(/__Host-edge-session=([\w-]+)/.exec(cookie)?.[1]);

describe("ending a browser session", () => {
  it("logs out: the cookies are cleared, and a copy of them is refused on every route and the gateway", async () => {
    const { cookie } = await browserUser();
    const res = await fromPage("/auth/logout", cookie, { method: "POST", env: GATEWAY });
    expect(res.status).toBe(204);
    expect(jar(res, cookie)).not.toMatch(/__Host-(session|refresh)=/);
    await expectEnded(await fromPage("/api/orders", cookie, { env: GATEWAY }));
    await expectEnded(await fromPage("/auth/me", cookie));
    await expectProblem(await fromPage("/auth/refresh", cookie, { method: "POST" }), 401, "invalid_refresh_token");
  });

  it("refuses a copy replayed after logout where this isolate no longer remembers it: Cognito is asked again", async () => {
    const { cookie } = await browserUser();
    expect((await fromPage("/auth/logout", cookie, { method: "POST", env: GATEWAY })).status).toBe(204);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 10 * 60 * 1000);
    await expectEnded(await fromPage("/api/orders", cookie, { env: GATEWAY }));
  });

  it("ends the session of a user an admin disables: at once with REVOCATIONS, else when Cognito is next asked", async () => {
    const admin = await adminUser();
    const victim = await browserUser({ ...withKv() });
    const other = await browserUser();
    for (const { email } of [victim, other]) {
      const res = await send(`/admin/users/${encodeURIComponent(email)}/disable`, { method: "POST", token: admin.tokens.accessToken, env: withKv() });
      expect(res.status).toBe(204);
    }
    await expectEnded(await fromPage("/api/orders", victim.cookie, { env: withKv() }));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61 * 1000);
    await expectEnded(await fromPage("/api/orders", other.cookie, { env: GATEWAY }));
  });

  it("deletes the account with a fresh session: the cookies are cleared and a copy is refused", async () => {
    const { cookie } = await browserUser();
    const res = await fromPage("/auth/me", cookie, { method: "DELETE", env: GATEWAY });
    expect(res.status).toBe(204);
    expect(setCookie(res, SESSION_COOKIE)).toMatch(/Max-Age=0/);
    await expectEnded(await fromPage("/api/orders", cookie, { env: GATEWAY }));
  });

  it("lets an admin's session disable a user from the app's origin, and a copy of the user's session then fails", async () => {
    const admin = await adminUser();
    const adminSession = await fromPage("/auth/login", "", { json: { email: admin.email, password: admin.password } });
    const victim = await browserUser();
    const path = `/admin/users/${encodeURIComponent(victim.email)}/disable`;
    await expectProblem(await fromPage(path, jar(adminSession), { method: "POST", headers: { Origin: "https://evil.example" } }), 403, "forbidden");
    expect((await fromPage(path, jar(adminSession), { method: "POST" })).status).toBe(204);
    await expectEnded(await fromPage("/auth/me", victim.cookie));
  });

  it("refuses a forged, altered or other deployment's cookie without calling Cognito", async () => {
    const tagged = taggedCognito();
    const { cookie } = await browserUser();
    const value = sessionValue(cookie);
    const flipped = value.slice(0, 40) + (value[40] === "A" ? "B" : "A") + value.slice(41);
    const foreign = await browserUser({ EDGE_SECRET: `other-deployment-${"x".repeat(32)}` });
    for (const forged of [`__Host-edge-session=${flipped}`, `__Host-edge-session=${"A".repeat(200)}`, `__Host-edge-session=${sessionValue(foreign.cookie)}`]) {
      await expectEnded(await fromPage("/api/orders", forged, { env: { ...GATEWAY, ...tagged.env } }));
      await expectEnded(await fromPage("/auth/me", forged, { env: tagged.env }));
    }
    expect(await tagged.calls()).toEqual([]);
  });
});

describe("the Worker refreshes a browser session", () => {
  it("refreshes an access token near expiry once for concurrent requests, and sets the new session on every answer", async () => {
    const tagged = taggedCognito();
    const overrides = { ...GATEWAY, ...tagged.env };
    const { cookie } = await browserUser(tagged.env);
    const before = (await tagged.calls()).length;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + NEAR_EXPIRY_MS);
    const answers = await Promise.all(Array.from({ length: 5 }, () => fromPage("/api/orders", cookie, { env: overrides })));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    for (const res of answers) expect(res.headers.getSetCookie().filter((c) => c.startsWith(`${SESSION_COOKIE}=`))).toHaveLength(1);
    const sessions = new Set(answers.map((res) => setCookie(res, SESSION_COOKIE)));
    expect(sessions.size).toBe(1);
    expect([...sessions][0]).toMatch(/^__Host-edge-session=[\w-]+; Max-Age=\d+;/);
    const refreshes = (await tagged.calls()).slice(before).filter((op) => op === "InitiateAuth" || op === "GetTokensFromRefreshToken");
    expect(refreshes).toHaveLength(1);
    // The renewed session needs no refresh: it serves on without Cognito.
    const renewed = jar(answers[0], cookie);
    expect((await fromPage("/api/orders", renewed, { env: overrides })).status).toBe(200);
    expect((await tagged.calls()).slice(before)).toHaveLength(1);
  });

  it("replaces the refresh token with the rotated one in the same answer (REFRESH_ROTATION=on)", async () => {
    const client = inject("cognito").rotatingClients.find((c) => c.kind === (isSecretClient() ? "secret" : "public") && c.graceSeconds === 60);
    if (!client) throw new Error("no rotating client");
    const rotation = { COGNITO_CLIENT_ID: client.clientId, COGNITO_CLIENT_SECRET: client.clientSecret ?? "", REFRESH_ROTATION: "on", ...GATEWAY };
    const { cookie } = await browserUser(rotation);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + NEAR_EXPIRY_MS);
    const res = await fromPage("/api/orders", cookie, { env: rotation });
    expect(res.status).toBe(200);
    const next = jar(res, cookie);
    expect(/__Host-refresh=([^;]+)/.exec(next)?.[1]).not.toBe(/__Host-refresh=([^;]+)/.exec(cookie)?.[1]);
    expect(/__Host-edge-session=([^;]+)/.exec(next)?.[1]).not.toBe(sessionValue(cookie));
  });

  it("ends the session when Cognito refuses the refresh: 401 and both cookies cleared", async () => {
    const admin = await adminUser();
    const { cookie, email } = await browserUser();
    const signOut = await send(`/admin/users/${encodeURIComponent(email)}/sign-out`, { method: "POST", token: admin.tokens.accessToken });
    expect(signOut.status).toBe(204);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + NEAR_EXPIRY_MS);
    await expectEnded(await fromPage("/api/orders", cookie, { env: GATEWAY }));
  });

  it("refuses a session whose refresh cookie is missing when it must refresh", async () => {
    const { cookie } = await browserUser();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + NEAR_EXPIRY_MS);
    await expectEnded(await send("/auth/me", { headers: { Cookie: `__Host-edge-session=${sessionValue(cookie)}`, Origin: ORIGIN }, env: BROWSER }));
  });
});
