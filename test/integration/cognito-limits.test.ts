// Values the API contract accepts but Cognito's model refuses (lengths and
// patterns of botocore's model, which the strict stand-in enforces): the
// Worker answers them itself, as Cognito would mean them, without sending
// what AWS would reject with InvalidParameterException.
import { describe, expect, it } from "vitest";
import { expectProblem, send, signedInUser } from "../support/worker";

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

  it("logs out with a refresh token Cognito could not have issued without sending it to RevokeToken", async () => {
    // Cognito's TokenModelType is [A-Za-z0-9-_=.]+; logout treats a token Cognito refuses as already dead.
    const { tokens } = await signedInUser();
    const wrapped = `ce1.${btoa("user").replace(/=+$/, "")}.not a token`;
    for (const refreshToken of ["not a Cognito token!", wrapped]) {
      const res = await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken } });
      expect(res.status).toBe(204);
      await expectProblem(await send("/auth/refresh", { json: { refreshToken } }), 401, "invalid_refresh_token");
    }
  });
});
