// Sessions a user can see and end (GET/DELETE /auth/sessions), the session
// registry behind them (SESSIONS, one Durable Object per user) and
// SESSION_LIMIT. Each test binds the registry under the test name.
import { env as base } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { base64url } from "../../src/crypto";
import { seal } from "../../src/seal/aead";
import { EdgeKeys } from "../../src/seal/keys";
import { legacySid, unwrapRefreshToken } from "../../src/session/refresh-token";
import {
  adminUser,
  expectProblem,
  expectTokens,
  isSecretClient,
  NEW_PASSWORD,
  ORIGIN,
  refresh,
  registeredUser,
  send,
  strictControl,
  type Tokens,
  withKv,
} from "../support/worker";

const withSessions = (extra: Record<string, unknown> = {}) => ({ SESSIONS: base.TEST_SESSIONS, ...extra });
const ON = withSessions();

interface Listed {
  id: string;
  device: string;
  country?: string;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

type Env = Record<string, unknown>;

/** Signs in `user` from a device (its User-Agent). */
async function signIn(user: { email: string; password: string }, device: string, env: Env = ON): Promise<Tokens> {
  const res = await send("/auth/login", { json: { email: user.email, password: user.password }, headers: { "User-Agent": device }, env });
  return (await expectTokens(res, { refreshToken: true })) as unknown as Tokens;
}

/** GET /auth/sessions with `accessToken`: 200, no-store; the list. */
async function list(accessToken: string, env: Env = ON): Promise<Listed[]> {
  const res = await send("/auth/sessions", { token: accessToken, env });
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  return ((await res.json()) as { sessions: Listed[] }).sessions;
}

const end = (accessToken: string, id: string, env: Env = ON) => send(`/auth/sessions/${id}`, { method: "DELETE", token: accessToken, env });

/** A fresh user signed in on two devices. */
async function twoDevices(env: Env = ON) {
  const user = await registeredUser();
  const laptop = await signIn(user, "Laptop/1.0", env);
  const phone = await signIn(user, "Phone/2.0", env);
  return { user, laptop, phone };
}

/** The id of the session listed as current for `accessToken`. */
async function currentId(accessToken: string, env: Env = ON): Promise<string> {
  const current = (await list(accessToken, env)).filter((s) => s.current);
  expect(current).toHaveLength(1);
  return current[0].id;
}

describe("GET /auth/sessions", () => {
  it("lists both sign-ins of a user, with device and times, and marks the caller's own as current", async () => {
    const { laptop, phone } = await twoDevices();
    const seen = await list(phone.accessToken);
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.device).sort()).toEqual(["Laptop/1.0", "Phone/2.0"]);
    for (const s of seen) {
      expect(s.id).toMatch(/^[\w-]{22}$/);
      expect(new Date(s.createdAt).toISOString()).toBe(s.createdAt);
      expect(s.lastUsedAt >= s.createdAt).toBe(true);
    }
    expect(seen.find((s) => s.current)?.device).toBe("Phone/2.0");
    expect((await list(laptop.accessToken)).find((s) => s.current)?.device).toBe("Laptop/1.0");
  });

  it("keeps the session and its current mark across a refresh, which updates lastUsedAt; other requests write nothing", async () => {
    const user = await registeredUser();
    const first = await signIn(user, "Laptop/1.0");
    const [before] = await list(first.accessToken);
    expect((await send("/auth/me", { token: first.accessToken, headers: { "User-Agent": "Other/9" }, env: ON })).status).toBe(200);
    expect(await list(first.accessToken)).toEqual([before]);
    await new Promise((r) => setTimeout(r, 5));
    const next = (await expectTokens(await refresh(first.refreshToken, { env: ON }), { refreshToken: false })) as unknown as Tokens;
    const [after] = await list(next.accessToken);
    expect(after).toMatchObject({ id: before.id, createdAt: before.createdAt, current: true });
    expect(after.lastUsedAt > before.lastUsedAt).toBe(true);
  });

  it("is 404 without the SESSIONS binding, and sign-in works as before", async () => {
    const user = await registeredUser();
    const tokens = await signIn(user, "Laptop/1.0", {});
    await expectProblem(await send("/auth/sessions", { token: tokens.accessToken }), 404, "not_found");
    await expectProblem(await end(tokens.accessToken, "A".repeat(22), {}), 404, "not_found");
    expect((await refresh(tokens.refreshToken)).status).toBe(200);
  });

  it("answers 500 with a malformed SESSION_LIMIT, while sign-in and refresh still work and record the session", async () => {
    const env = withSessions({ SESSION_LIMIT: "lots" });
    const user = await registeredUser();
    const tokens = await signIn(user, "Laptop/1.0", env);
    await expectProblem(await send("/auth/sessions", { token: tokens.accessToken, env }), 500, "internal_error");
    expect((await refresh(tokens.refreshToken, { env })).status).toBe(200);
    expect(await list(tokens.accessToken)).toHaveLength(1);
  });

  it("needs a valid access token", async () => {
    await expectProblem(await send("/auth/sessions", { env: ON }), 401, "unauthorized");
    await expectProblem(await send("/auth/sessions", { token: "not-a-token", env: ON }), 401, "unauthorized");
  });
});

describe("DELETE /auth/sessions/{id}", () => {
  it("ends that session at Cognito and in the list; the other still refreshes", async () => {
    const { laptop, phone } = await twoDevices();
    const laptopId = await currentId(laptop.accessToken);
    expect((await end(phone.accessToken, laptopId)).status).toBe(204);
    await expectProblem(await refresh(laptop.refreshToken, { env: ON }), 401, "invalid_refresh_token");
    // RevokeToken also ends the access tokens issued from that refresh token.
    await expectProblem(await send("/auth/me", { token: laptop.accessToken }), 401, "unauthorized");
    expect((await refresh(phone.refreshToken, { env: ON })).status).toBe(200);
    expect((await list(phone.accessToken)).map((s) => s.device)).toEqual(["Phone/2.0"]);
    // Ended once: the same id again is unknown.
    await expectProblem(await end(phone.accessToken, laptopId), 404, "not_found");
  });

  it("with REVOCATIONS bound, the ended session's access token stops passing the gateway at once", async () => {
    const env = withSessions(withKv());
    const { laptop, phone } = await twoDevices(env);
    expect((await send("/api/x", { token: laptop.accessToken, env })).status).toBe(200);
    expect((await end(phone.accessToken, await currentId(laptop.accessToken, env), env)).status).toBe(204);
    await expectProblem(await send("/api/x", { token: laptop.accessToken, env }), 401, "unauthorized");
    expect((await send("/api/x", { token: phone.accessToken, env })).status).toBe(200);
  });

  it("attack: a user's access token neither lists nor ends another user's sessions (404, the victim's session lives on)", async () => {
    const victim = await twoDevices();
    const victimIds = (await list(victim.phone.accessToken)).map((s) => s.id);
    const attacker = await signIn(await registeredUser(), "Attacker/1.0");
    expect((await list(attacker.accessToken)).map((s) => s.id)).not.toContain(victimIds[0]);
    for (const id of victimIds) await expectProblem(await end(attacker.accessToken, id), 404, "not_found");
    // An id nobody has, and one that is no id at all.
    await expectProblem(await end(attacker.accessToken, "B".repeat(22)), 404, "not_found");
    await expectProblem(await end(attacker.accessToken, "..%2F..%2Fx"), 400, "validation_failed");
    expect((await list(victim.phone.accessToken)).map((s) => s.id).sort()).toEqual([...victimIds].sort());
    expect((await refresh(victim.laptop.refreshToken, { env: ON })).status).toBe(200);
  });

  it("attack: a cross-site DELETE that authenticates with a cookie is refused (403), and the session lives on", async () => {
    const { laptop, phone } = await twoDevices();
    const id = await currentId(laptop.accessToken);
    const cookie = `__Host-refresh=${phone.refreshToken}; __Host-session=x`;
    for (const headers of [{ Cookie: cookie, Origin: "https://evil.example" }, { Cookie: cookie }] as Record<string, string>[]) {
      await expectProblem(await send(`/auth/sessions/${id}`, { method: "DELETE", headers, env: ON }), 403, "forbidden");
    }
    // From an allowed origin the CSRF check passes; the cookie still has to authenticate.
    await expectProblem(await send(`/auth/sessions/${id}`, { method: "DELETE", headers: { Cookie: cookie, Origin: ORIGIN }, env: ON }), 401, "unauthorized");
    expect((await list(laptop.accessToken)).map((s) => s.id)).toContain(id);
    expect((await refresh(laptop.refreshToken, { env: ON })).status).toBe(200);
  });

  it("attack: racing DELETEs of one session end it once (one 204, the rest 404)", async () => {
    const { laptop, phone } = await twoDevices();
    const id = await currentId(laptop.accessToken);
    const statuses = (await Promise.all([1, 2, 3].map(() => end(phone.accessToken, id)))).map((r) => r.status).sort();
    expect(statuses).toEqual([204, 404, 404]);
  });
});

describe("SESSION_LIMIT", () => {
  it("caps concurrent sessions: the sign-in past the cap ends the oldest", async () => {
    const env = withSessions({ SESSION_LIMIT: "2" });
    const user = await registeredUser();
    const first = await signIn(user, "One/1", env);
    const second = await signIn(user, "Two/2", env);
    const third = await signIn(user, "Three/3", env);
    await expectProblem(await refresh(first.refreshToken, { env }), 401, "invalid_refresh_token");
    await expectProblem(await send("/auth/me", { token: first.accessToken }), 401, "unauthorized");
    expect((await refresh(second.refreshToken, { env })).status).toBe(200);
    expect((await refresh(third.refreshToken, { env })).status).toBe(200);
    expect((await list(third.accessToken, env)).map((s) => s.device).sort()).toEqual(["Three/3", "Two/2"]);
  });

  it("attack: racing sign-ins cannot pass the cap", async () => {
    const env = withSessions({ SESSION_LIMIT: "2" });
    const user = await registeredUser();
    const all = await Promise.all([1, 2, 3, 4].map((n) => signIn(user, `Racer/${n}`, env)));
    const refreshed = await Promise.all(all.map((t) => refresh(t.refreshToken, { env })));
    const alive = refreshed.filter((r) => r.status === 200);
    expect(alive).toHaveLength(2);
    const tokens = (await alive[0].json()) as Tokens;
    expect(await list(tokens.accessToken, env)).toHaveLength(2);
  });
});

describe("logout and the registry", () => {
  it("logout removes the caller's session; a refresh of it stays refused", async () => {
    const { laptop, phone } = await twoDevices();
    expect((await send("/auth/logout", { token: laptop.accessToken, json: { refreshToken: laptop.refreshToken }, env: ON })).status).toBe(204);
    expect((await list(phone.accessToken)).map((s) => s.device)).toEqual(["Phone/2.0"]);
    await expectProblem(await refresh(laptop.refreshToken, { env: ON }), 401, "invalid_refresh_token");
  });

  it("sign out everywhere empties the list", async () => {
    const { user, laptop, phone } = await twoDevices();
    expect((await send("/auth/logout", { token: laptop.accessToken, json: { global: true }, env: ON })).status).toBe(204);
    await expectProblem(await refresh(phone.refreshToken, { env: ON }), 401, "invalid_refresh_token");
    const again = await signIn(user, "Else/1");
    expect((await list(again.accessToken)).map((s) => s.device)).toEqual(["Else/1"]);
  });

  it("a refresh token sealed before sessions had ids joins the list on its first refresh, under one id", async () => {
    const user = await registeredUser();
    const tokens = await signIn(user, "Old/1", {});
    const keys = new EdgeKeys({ current: String(base.EDGE_SECRET) });
    const clientId = String(base.COGNITO_CLIENT_ID);
    const { username, token } = await unwrapRefreshToken(keys, clientId, tokens.refreshToken);
    const plaintext = new TextEncoder().encode(JSON.stringify({ u: username, t: token }));
    const legacy = `ce2.${base64url(await seal(keys, "refresh-token", clientId, plaintext))}`;
    // Without rotation the client keeps the token it has: every refresh of it names the same session.
    expect((await unwrapRefreshToken(keys, clientId, legacy)).sid).toBe(await legacySid(token));
    expect((await refresh(legacy, { env: ON })).status).toBe(200);
    const next = (await expectTokens(await refresh(legacy, { env: ON }), { refreshToken: false })) as unknown as Tokens;
    const seen = await list(next.accessToken);
    expect(seen.map((s) => ({ id: s.id, current: s.current }))).toEqual([{ id: await legacySid(token), current: true }]);
    // Ended from another device, it ends at Cognito too: the registry held its refresh token though it was never rotated.
    const other = await signIn(user, "New/1");
    expect((await end(other.accessToken, seen[0].id)).status).toBe(204);
    await expectProblem(await send("/auth/me", { token: next.accessToken }), 401, "unauthorized");
    await expectProblem(await refresh(legacy, { env: ON }), 401, "invalid_refresh_token");
  });
});

describe("credential changes and admin actions empty the list", () => {
  it("change-password: only the session it signs in again is left", async () => {
    const { user, laptop, phone } = await twoDevices();
    const res = await send("/auth/change-password", {
      token: laptop.accessToken,
      json: { currentPassword: user.password, newPassword: NEW_PASSWORD },
      headers: { "User-Agent": "Laptop/1.0" },
      env: ON,
    });
    const fresh = (await expectTokens(res, { refreshToken: true })) as unknown as Tokens;
    const seen = await list(fresh.accessToken);
    expect(seen.map((s) => ({ device: s.device, current: s.current }))).toEqual([{ device: "Laptop/1.0", current: true }]);
    await expectProblem(await refresh(phone.refreshToken, { env: ON }), 401, "invalid_refresh_token");
  });

  it.each([
    ["sign-out", "POST", "/sign-out"],
    ["disable", "POST", "/disable"],
  ])("admin %s: the user's sessions leave the list", async (_name, method, suffix) => {
    const admin = await adminUser();
    const { user, laptop } = await twoDevices();
    const res = await send(`/admin/users/${encodeURIComponent(user.email)}${suffix}`, { method, token: admin.tokens.accessToken, env: ON });
    expect(res.status).toBe(204);
    await expectProblem(await refresh(laptop.refreshToken, { env: ON }), 401, "invalid_refresh_token");
    if (suffix === "/disable") {
      const enabled = await send(`/admin/users/${encodeURIComponent(user.email)}/enable`, { method, token: admin.tokens.accessToken, env: ON });
      expect(enabled.status).toBe(204);
    }
    const again = await signIn(user, "Again/1");
    expect((await list(again.accessToken)).map((s) => s.device)).toEqual(["Again/1"]);
  });
});

/** The Worker's env for this project's kind of rotating client with the long grace period (the replaced token still works). */
function rotating() {
  const client = inject("cognito").rotatingClients.find((c) => c.kind === (isSecretClient() ? "secret" : "public") && c.graceSeconds === 60);
  if (!client) throw new Error("no rotating client with a 60 s grace period");
  return withSessions({
    COGNITO_CLIENT_ID: client.clientId,
    COGNITO_CLIENT_SECRET: client.clientSecret ?? "",
    REFRESH_ROTATION: "on",
    REFRESH_TOKEN_DELIVERY: "body",
  });
}

describe.each(["kept", "new"])("with rotation, origin_jti %s on rotation", (originJti) => {
  it("keeps the session id across refreshes, marks the newest token current, and DELETE ends every token of it", async () => {
    const env = rotating();
    const user = await registeredUser();
    const res = await strictControl("/__reading", {
      method: "POST",
      body: JSON.stringify({ poolId: inject("cognito").poolId, username: user.email, originJti, revoke: "token" }),
    });
    expect(res.status).toBe(200);
    const first = await signIn(user, "Rotating/1", env);
    const other = await signIn(user, "Other/1", env);
    const id = await currentId(first.accessToken, env);
    const second = (await expectTokens(await refresh(first.refreshToken, { env }), { refreshToken: true })) as unknown as Tokens;
    const third = (await expectTokens(await refresh(second.refreshToken, { env }), { refreshToken: true })) as unknown as Tokens;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await currentId(third.accessToken, env)).toBe(id);
    expect(await list(third.accessToken, env)).toHaveLength(2);
    expect((await end(other.accessToken, id, env)).status).toBe(204);
    // The newest token, and the replaced ones still in their grace period: none refreshes.
    for (const t of [third, second, first]) await expectProblem(await refresh(t.refreshToken, { env }), 401, "invalid_refresh_token");
    expect((await refresh(other.refreshToken, { env })).status).toBe(200);
  });
});
