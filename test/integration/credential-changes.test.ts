import { describe, expect, it } from "vitest";
import { totp } from "../support/totp";
import {
  adminUser,
  claimsOf,
  enableTotp,
  expectProblem,
  expectTokens,
  injectFault,
  lastCode,
  login,
  NEW_PASSWORD,
  PASSWORD,
  refresh,
  send,
  setCookie,
  signedInUser,
  taggedCognito,
  type Tokens,
  withKv,
} from "../support/worker";

/** Asserts that a session is over: its refresh token, and its access token at Cognito and at the edge. */
async function expectEnded(tokens: Tokens) {
  await expectProblem(await refresh(tokens.refreshToken), 401, "invalid_refresh_token");
  await expectProblem(await send("/auth/me", { token: tokens.accessToken }), 401, "unauthorized");
  await expectProblem(await send("/api/x", { token: tokens.accessToken, env: withKv() }), 401, "unauthorized");
}

async function expectAlive(tokens: Tokens) {
  expect((await send("/auth/me", { token: tokens.accessToken })).status).toBe(200);
  expect((await send("/api/x", { token: tokens.accessToken, env: withKv() })).status).toBe(200);
  expect((await refresh(tokens.refreshToken)).status).toBe(200);
}

const resetPassword = async (email: string, env: Record<string, unknown>) => {
  expect((await send("/auth/forgot-password", { json: { email }, env })).status).toBe(202);
  return send("/auth/reset-password", { json: { email, code: await lastCode(email), newPassword: NEW_PASSWORD }, env });
};
const NO_ADMIN = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "" };

describe("credential changes end every earlier session", () => {
  it("change-password ends the caller's and every other session, and answers the new one's tokens", async () => {
    const { email, password, tokens } = await signedInUser();
    const other = await login(email, password);
    const res = await send("/auth/change-password", {
      token: tokens.accessToken,
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      env: withKv(),
    });
    const fresh = (await expectTokens(res, { refreshToken: true })) as unknown as Tokens;
    await expectEnded(tokens);
    await expectEnded(other);
    // The session made with the new password is alive, at Cognito and at the edge (same second as the revocation).
    await expectAlive(fresh);
  });

  it("change-password answers the MFA challenge when the user has TOTP", async () => {
    const { email, tokens } = await signedInUser();
    const { secret } = await enableTotp(tokens.accessToken);
    const res = await send("/auth/change-password", {
      token: tokens.accessToken,
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(res.status).toBe(200);
    const { challenge, session } = (await res.json()) as { challenge: string; session: string };
    expect(challenge).toBe("SOFTWARE_TOKEN_MFA");
    expect(setCookie(res, "__Host-refresh")).toMatch(/Max-Age=0/);
    await expectProblem(await refresh(tokens.refreshToken), 401, "invalid_refresh_token");
    const answer = await send("/auth/challenge", { json: { email, challenge, session, code: await totp(secret) } });
    await expectTokens(answer, { refreshToken: true });
  });

  it("change-password answers 204 and clears the cookie when the new sign-in cannot be made", async () => {
    const { email, tokens } = await signedInUser();
    await injectFault({ op: "InitiateAuth", username: email, kind: "error", type: "InternalErrorException" });
    const res = await send("/auth/change-password", {
      token: tokens.accessToken,
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(res.status).toBe(204);
    expect(setCookie(res, "__Host-refresh")).toMatch(/Max-Age=0/);
    await expectProblem(await refresh(tokens.refreshToken), 401, "invalid_refresh_token");
    expect((await login(email, NEW_PASSWORD)).accessToken).toEqual(expect.any(String));
  });

  it("change-password never signs in to another account whose email the caller's unverified email names", async () => {
    const victim = await signedInUser();
    const attacker = await signedInUser();
    // The attacker sets the victim's email on their own account (unverified), then "changes" to a guess of the victim's password.
    const patched = await send("/auth/me", { method: "PATCH", token: attacker.tokens.accessToken, json: { attributes: { email: victim.email } } });
    expect(patched.status).toBe(200);
    const res = await send("/auth/change-password", {
      token: attacker.tokens.accessToken,
      json: { currentPassword: attacker.password, newPassword: victim.password },
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    // The victim's account is untouched.
    expect((await send("/auth/me", { token: victim.tokens.accessToken })).status).toBe(200);
  });

  it("change-password still ends the other sessions when GlobalSignOut fails (admin fallback), and still answers", async () => {
    const { email, password, tokens } = await signedInUser();
    const stolen = await login(email, password);
    const username = String(claimsOf(tokens.accessToken).username);
    await injectFault({ op: "GlobalSignOut", username, kind: "500", times: 2 });
    const res = await send("/auth/change-password", {
      token: tokens.accessToken,
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      env: withKv(),
    });
    await expectTokens(res, { refreshToken: true });
    await expectEnded(stolen);
  });

  it("reset-password without admin credentials ends every session by signing in and out everywhere", async () => {
    const { email, password, tokens } = await signedInUser();
    const other = await login(email, password);
    const res = await resetPassword(email, { ...NO_ADMIN, ...withKv() });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reset: true, signedOut: true });
    await expectEnded(tokens);
    await expectEnded(other);
    await expectAlive(await login(email, NEW_PASSWORD));
  });

  it("reset-password with admin credentials ends every session with AdminUserGlobalSignOut, MFA or not", async () => {
    const { email, tokens } = await signedInUser();
    await enableTotp(tokens.accessToken);
    // Counted under a tag of this test's own: the stand-in's global count also holds other files' calls.
    const cognito = taggedCognito();
    const res = await resetPassword(email, { ...withKv(), ...cognito.env });
    expect(await res.json()).toEqual({ reset: true, signedOut: true });
    expect((await cognito.calls()).filter((op) => op === "AdminUserGlobalSignOut")).toHaveLength(1);
    await expectEnded(tokens);
  });

  it("reset-password says signedOut: false when the user has MFA and no admin credentials are configured", async () => {
    const { email, tokens } = await signedInUser();
    await enableTotp(tokens.accessToken);
    const res = await resetPassword(email, NO_ADMIN);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reset: true, signedOut: false });
  });
});

describe("admin actions end the user's sessions at the edge too", () => {
  it("removing a user from the admin group ends the sessions that carry the group", async () => {
    const demoted = await adminUser();
    const boss = await adminUser();
    const username = String(claimsOf(demoted.tokens.accessToken).username);
    const removed = await send(`/admin/users/${username}/groups/admin`, { method: "DELETE", token: boss.tokens.accessToken, env: withKv() });
    expect(removed.status).toBe(204);
    await expectProblem(await send("/admin/users", { token: demoted.tokens.accessToken, env: withKv() }), 401, "unauthorized");
    await expectProblem(await refresh(demoted.tokens.refreshToken), 401, "invalid_refresh_token");
  });

  it.each([
    ["sign-out", "POST", "/sign-out"],
    ["disable", "POST", "/disable"],
    ["delete", "DELETE", ""],
  ])("%s: the user's access token stops passing the gateway and refreshes fail", async (_name, method, suffix) => {
    const admin = await adminUser();
    const { email, tokens } = await signedInUser();
    expect((await send("/api/x", { token: tokens.accessToken, env: withKv() })).status).toBe(200);
    const res = await send(`/admin/users/${encodeURIComponent(email)}${suffix}`, { method, token: admin.tokens.accessToken, env: withKv() });
    expect(res.status).toBe(204);
    await expectProblem(await send("/api/x", { token: tokens.accessToken, env: withKv() }), 401, "unauthorized");
    await expectProblem(await refresh(tokens.refreshToken), 401, "invalid_refresh_token");
  });
});
