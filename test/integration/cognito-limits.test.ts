// Values the API contract accepts but Cognito's model refuses (lengths and
// patterns of botocore's model, which the strict stand-in enforces): the
// Worker answers them itself, as Cognito would mean them, without sending
// what AWS would reject with InvalidParameterException.
import { describe, expect, it } from "vitest";
import { lastCode } from "../support/user-auth";
import { adminUser, expectProblem, NEW_PASSWORD, newEmail, PASSWORD, registeredUser, send, signedInUser } from "../support/worker";

describe("values Cognito's model refuses", () => {
  it.each([
    ["under 20 characters", "s".repeat(19)],
    ["over 2,048 characters", "s".repeat(2049)],
  ])("answers 401 invalid_session for a session %s (Cognito's SessionType is 20–2,048)", async (_what, session) => {
    const email = `limits-${crypto.randomUUID()}@example.com`;
    for (const body of [
      { email, challenge: "SOFTWARE_TOKEN_MFA", session, code: "123456" },
      { email, challenge: "NEW_PASSWORD_REQUIRED", session, newPassword: "N3w-Passw0rd!" },
      { email, challenge: "MFA_SETUP", session },
      { email, challenge: "MFA_SETUP", session, code: "123456" },
    ]) {
      await expectProblem(await send("/auth/challenge", { json: body }), 401, "invalid_session");
    }
  });

  it.each([
    ["under 20 characters", "s".repeat(19)],
    ["over 2,048 characters", "s".repeat(2049)],
  ])("confirms with a session %s as with one Cognito refuses: the code decides, nobody is signed in", async (_what, session) => {
    const { email } = await registeredUser({ verify: false });
    await expectProblem(await send("/auth/verify", { json: { email, code: "000000", session } }), 400, "code_mismatch");
    const res = await send("/auth/verify", { json: { email, code: await lastCode(email), session } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ confirmed: true });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("logs out with a refresh token Cognito could not have issued without sending it to RevokeToken", async () => {
    // Cognito's TokenModelType is [A-Za-z0-9-_=.]+; a token that names no session ends them all (GlobalSignOut).
    const wrapped = `ce1.${btoa("user").replace(/=+$/, "")}.not a token`;
    for (const refreshToken of ["not a Cognito token!", wrapped]) {
      const { tokens } = await signedInUser();
      const res = await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken } });
      expect(res.status).toBe(204);
      await expectProblem(await send("/auth/refresh", { json: { refreshToken } }), 401, "invalid_refresh_token");
      await expectProblem(await send("/auth/refresh", { json: { refreshToken: tokens.refreshToken } }), 401, "invalid_refresh_token");
    }
  });

  describe("passwords with whitespace at either end (Cognito's PasswordType, ^[\\S]+.*[\\S]+$)", () => {
    const EDGES = [` ${NEW_PASSWORD}`, `${NEW_PASSWORD} `, `\t${NEW_PASSWORD}`];

    it("answers 400 weak_password to a new one at register, reset-password, change-password and admin create", async () => {
      const { tokens } = await signedInUser();
      const admin = await adminUser();
      for (const password of EDGES) {
        await expectProblem(await send("/auth/register", { json: { email: newEmail(), password, name: "Edge" } }), 400, "weak_password");
        const reset = { email: newEmail(), code: "123456", newPassword: password };
        await expectProblem(await send("/auth/reset-password", { json: reset }), 400, "weak_password");
        const change = { currentPassword: PASSWORD, newPassword: password };
        await expectProblem(await send("/auth/change-password", { token: tokens.accessToken, json: change }), 400, "weak_password");
        const create = { email: newEmail(), temporaryPassword: password };
        await expectProblem(await send("/admin/users", { token: admin.tokens.accessToken, json: create }), 400, "weak_password");
      }
      expect((await send("/auth/me", { token: tokens.accessToken })).status).toBe(200);
    });

    it("answers 400 invalid_credentials to such a current password at change-password", async () => {
      const { tokens } = await signedInUser();
      const change = { currentPassword: ` ${PASSWORD}`, newPassword: NEW_PASSWORD };
      await expectProblem(await send("/auth/change-password", { token: tokens.accessToken, json: change }), 400, "invalid_credentials");
      expect((await send("/auth/me", { token: tokens.accessToken })).status).toBe(200);
    });

    it("accepts a space inside a password", async () => {
      await registeredUser({ password: `${PASSWORD} x` });
    });
  });
});
