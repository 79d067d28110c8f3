// Values the API contract accepts but Cognito's model refuses (lengths and
// patterns of botocore's model, which the strict stand-in enforces): the
// Worker answers them itself, as Cognito would mean them, without sending
// what AWS would reject with InvalidParameterException.
import { describe, expect, it } from "vitest";
import { expectProblem, send } from "../support/worker";

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
});
