import { describe, expect, it } from "vitest";
import { NOT_THE_TEMP_PASSWORD, TEMP_PASSWORD, WEAK_PASSWORD, WRONG_AWS_SECRET, WRONG_PASSWORD } from "../support/secrets";
import { adminUser, expectProblem, login, NEW_PASSWORD, newEmail, PASSWORD, refresh, registeredUser, send, signedInUser } from "../support/worker";

interface AdminUserView {
  username: string;
  sub: string;
  email: string;
  emailVerified: boolean;
  enabled: boolean;
  status: string;
  groups?: string[];
  createdAt: string;
}

describe("admin API", () => {
  it("refuses a signed-in user outside the admin group: 403 forbidden", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/admin/users", { token: tokens.accessToken });
    await expectProblem(res, 403, "forbidden");
    expect(res.headers.get("WWW-Authenticate")).toContain('error="insufficient_scope"');
  });

  it("refuses a request without a token: 401", async () => {
    await expectProblem(await send("/admin/users"), 401, "unauthorized");
  });

  it("answers 503 with a clear detail when no AWS credentials are configured", async () => {
    const { tokens } = await adminUser();
    const res = await send("/admin/users", { token: tokens.accessToken, env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" } });
    const body = await expectProblem(res, 503, "upstream_unavailable");
    expect(String(body.detail)).toMatch(/admin access is not configured/i);
  });

  it("never succeeds with a wrong signature (the test layer verifies SigV4)", async () => {
    const { tokens } = await adminUser();
    const res = await send("/admin/users", { token: tokens.accessToken, env: { AWS_SECRET_ACCESS_KEY: WRONG_AWS_SECRET } });
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain(WRONG_AWS_SECRET);
  });

  it("finds a user by email, and gets one by email or username with groups", async () => {
    const { tokens } = await adminUser();
    const { email } = await registeredUser();
    const list = await send(`/admin/users?email=${encodeURIComponent(email)}`, { token: tokens.accessToken });
    expect(list.status).toBe(200);
    expect(list.headers.get("Cache-Control")).toBe("no-store");
    const { users } = (await list.json()) as { users: AdminUserView[] };
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email, enabled: true, status: "CONFIRMED", emailVerified: true });
    const byEmail = await send(`/admin/users/${encodeURIComponent(email)}`, { token: tokens.accessToken });
    const byName = await send(`/admin/users/${users[0].username}`, { token: tokens.accessToken });
    const a = (await byEmail.json()) as AdminUserView;
    expect(a).toMatchObject({ email, groups: [], createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(await byName.json()).toEqual(a);
  });

  it("pages through users with an opaque cursor", async () => {
    const { tokens } = await adminUser();
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await send(`/admin/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: tokens.accessToken });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { users: AdminUserView[]; cursor?: string };
      expect(page.users.length).toBeLessThanOrEqual(2);
      for (const u of page.users) seen.add(u.username);
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 3);
    expect(pages).toBe(3);
    expect(seen.size).toBe(6);
  });

  it("adds and removes a group", async () => {
    const { tokens } = await adminUser();
    const { email } = await registeredUser();
    const path = `/admin/users/${encodeURIComponent(email)}`;
    expect((await send(`${path}/groups/admin`, { method: "PUT", token: tokens.accessToken })).status).toBe(204);
    expect(((await (await send(path, { token: tokens.accessToken })).json()) as AdminUserView).groups).toEqual(["admin"]);
    expect((await send(`${path}/groups/admin`, { method: "DELETE", token: tokens.accessToken })).status).toBe(204);
    expect(((await (await send(path, { token: tokens.accessToken })).json()) as AdminUserView).groups).toEqual([]);
  });

  it("disables and enables a user: a disabled user gets the same 401 as a wrong password", async () => {
    const { tokens } = await adminUser();
    const { email } = await registeredUser();
    const path = `/admin/users/${encodeURIComponent(email)}`;
    expect((await send(`${path}/disable`, { method: "POST", token: tokens.accessToken })).status).toBe(204);
    const disabled = await expectProblem(await send("/auth/login", { json: { email, password: PASSWORD } }), 401, "invalid_credentials");
    const wrong = await expectProblem(await send("/auth/login", { json: { email, password: WRONG_PASSWORD } }), 401, "invalid_credentials");
    expect(disabled).toEqual(wrong);
    expect((await send(`${path}/enable`, { method: "POST", token: tokens.accessToken })).status).toBe(204);
    expect((await send("/auth/login", { json: { email, password: PASSWORD } })).status).toBe(200);
  });

  it("signs a user out everywhere: every session's refresh and access tokens stop working", async () => {
    const { tokens } = await adminUser();
    const target = await signedInUser();
    const other = await login(target.email, target.password);
    const res = await send(`/admin/users/${encodeURIComponent(target.email)}/sign-out`, { method: "POST", token: tokens.accessToken });
    expect(res.status).toBe(204);
    for (const session of [target.tokens, other]) {
      await expectProblem(await refresh(session.refreshToken), 401, "invalid_refresh_token");
      await expectProblem(await send("/auth/me", { token: session.accessToken }), 401, "unauthorized");
    }
  });

  it("deletes a user; then the user is 404 not_found", async () => {
    const { tokens } = await adminUser();
    const { email } = await registeredUser();
    const path = `/admin/users/${encodeURIComponent(email)}`;
    expect((await send(path, { method: "DELETE", token: tokens.accessToken })).status).toBe(204);
    await expectProblem(await send(path, { token: tokens.accessToken }), 404, "not_found");
  });

  it("creates a user who completes NEW_PASSWORD_REQUIRED at first login", async () => {
    const { tokens } = await adminUser();
    const email = newEmail("invited");
    const created = await send("/admin/users", { token: tokens.accessToken, json: { email, name: "Invited", temporaryPassword: TEMP_PASSWORD } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ email, status: "FORCE_CHANGE_PASSWORD", groups: [] });
    await expectProblem(await send("/auth/login", { json: { email, password: NOT_THE_TEMP_PASSWORD } }), 401, "invalid_credentials");
    const login = await send("/auth/login", { json: { email, password: TEMP_PASSWORD } });
    const challenge = (await login.json()) as { challenge: string; session: string };
    expect(challenge.challenge).toBe("NEW_PASSWORD_REQUIRED");
    const weak = await send("/auth/challenge", { json: { email, challenge: "NEW_PASSWORD_REQUIRED", session: challenge.session, newPassword: WEAK_PASSWORD } });
    await expectProblem(weak, 400, "weak_password");
    const done = await send("/auth/challenge", {
      json: { email, challenge: "NEW_PASSWORD_REQUIRED", session: challenge.session, newPassword: NEW_PASSWORD },
    });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ accessToken: expect.any(String) });
    expect((await send("/auth/login", { json: { email, password: NEW_PASSWORD } })).status).toBe(200);
  });

  it("answers 409 for an email that is taken and 400 for bad bodies", async () => {
    const { tokens } = await adminUser();
    const { email } = await registeredUser();
    await expectProblem(await send("/admin/users", { token: tokens.accessToken, json: { email } }), 409, "user_already_exists");
    await expectProblem(await send("/admin/users", { token: tokens.accessToken, json: { email: "x", role: "root" } }), 400, "validation_failed");
    await expectProblem(await send("/admin/users?limit=abc", { token: tokens.accessToken }), 400, "validation_failed");
  });
});
