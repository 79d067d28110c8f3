import { describe, expect, it } from "vitest";
import { totp } from "../support/totp";
import { enableTotp, expectProblem, injectFault, PASSWORD, registeredUser, send, signedInUser } from "../support/worker";

describe("TOTP MFA", () => {
  it("sets up TOTP with an otpauth URI that names the issuer and the account", async () => {
    const { email, tokens } = await signedInUser();
    const res = await send("/auth/mfa/totp/setup", { method: "POST", token: tokens.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = (await res.json()) as { secret: string; otpauthUri: string };
    expect(body.secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(body.otpauthUri).toBe(
      `otpauth://totp/cognito-edge:${encodeURIComponent(email)}?secret=${body.secret}&issuer=cognito-edge`,
    );
  });

  it("refuses a wrong code at verify: 400 code_mismatch", async () => {
    const { tokens } = await signedInUser();
    const setup = await send("/auth/mfa/totp/setup", { method: "POST", token: tokens.accessToken });
    const { secret } = (await setup.json()) as { secret: string };
    const right = await totp(secret);
    const wrong = right === "000000" ? "111111" : "000000";
    await expectProblem(await send("/auth/mfa/totp/verify", { token: tokens.accessToken, json: { code: wrong } }), 400, "code_mismatch");
  });

  it("then asks for the code at login (SOFTWARE_TOKEN_MFA) and signs in with it", async () => {
    const { email, tokens } = await signedInUser();
    const { secret } = await enableTotp(tokens.accessToken);
    const login = await send("/auth/login", { json: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const challenge = (await login.json()) as { challenge: string; session: string };
    expect(challenge).toEqual({ challenge: "SOFTWARE_TOKEN_MFA", session: expect.any(String) });
    const wrong = await send("/auth/challenge", {
      json: { email, challenge: "SOFTWARE_TOKEN_MFA", session: challenge.session, code: (await totp(secret)) === "123456" ? "654321" : "123456" },
    });
    await expectProblem(wrong, 400, "code_mismatch");
    const res = await send("/auth/challenge", {
      json: { email, challenge: "SOFTWARE_TOKEN_MFA", session: challenge.session, code: await totp(secret) },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accessToken: expect.any(String), tokenType: "Bearer" });
  });

  it("turns TOTP off with DELETE: login no longer asks for a code", async () => {
    const { email, tokens } = await signedInUser();
    await enableTotp(tokens.accessToken);
    expect((await send("/auth/mfa/totp", { method: "DELETE", token: tokens.accessToken })).status).toBe(204);
    const login = await send("/auth/login", { json: { email, password: PASSWORD } });
    expect(await login.json()).toMatchObject({ accessToken: expect.any(String) });
  });

  it("requires a bearer token and a six-digit code", async () => {
    await expectProblem(await send("/auth/mfa/totp/setup", { method: "POST" }), 401, "unauthorized");
    const { tokens } = await signedInUser();
    await expectProblem(await send("/auth/mfa/totp/verify", { token: tokens.accessToken, json: { code: "12ab56" } }), 400, "validation_failed");
  });
});

describe("POST /auth/challenge", () => {
  it("walks MFA_SETUP: the secret first, then the code, then tokens", async () => {
    const { email } = await registeredUser();
    // Cognito asks for MFA_SETUP when the pool requires MFA and the user has none; the strict layer plays that part.
    await injectFault({ op: "InitiateAuth", username: email, kind: "mfa-setup" });
    const login = await send("/auth/login", { json: { email, password: PASSWORD } });
    const first = (await login.json()) as { challenge: string; session: string };
    expect(first.challenge).toBe("MFA_SETUP");
    const setup = await send("/auth/challenge", { json: { email, challenge: "MFA_SETUP", session: first.session } });
    expect(setup.status).toBe(200);
    const second = (await setup.json()) as { challenge: string; session: string; secret: string; otpauthUri: string };
    expect(second).toMatchObject({ challenge: "MFA_SETUP", secret: expect.stringMatching(/^[A-Z2-7]+$/) });
    expect(second.otpauthUri).toContain(`secret=${second.secret}`);
    const right = await totp(second.secret);
    const wrong = await send("/auth/challenge", {
      json: { email, challenge: "MFA_SETUP", session: second.session, code: right === "000000" ? "111111" : "000000" },
    });
    await expectProblem(wrong, 400, "code_mismatch");
    // VerifySoftwareToken takes six digits only: anything else is refused here, never sent (it was a 500).
    for (const code of ["!", "12345", "1234567", "12ab56", "１２３４５６"]) {
      const bad = await send("/auth/challenge", { json: { email, challenge: "MFA_SETUP", session: second.session, code } });
      await expectProblem(bad, 400, "validation_failed");
    }
    const done = await send("/auth/challenge", { json: { email, challenge: "MFA_SETUP", session: second.session, code: right } });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ accessToken: expect.any(String), tokenType: "Bearer" });
  });

  it("answers 401 invalid_session for a session it never issued", async () => {
    const { email, tokens } = await signedInUser();
    const { secret } = await enableTotp(tokens.accessToken);
    const code = await totp(secret);
    const forged = await send("/auth/challenge", { json: { email, challenge: "SOFTWARE_TOKEN_MFA", session: "x".repeat(64), code } });
    await expectProblem(forged, 401, "invalid_session");
  });

  it("answers 401 invalid_session for a session that expired, even with the right code", async () => {
    const { email, tokens } = await signedInUser();
    const { secret } = await enableTotp(tokens.accessToken);
    const login = await send("/auth/login", { json: { email, password: PASSWORD } });
    const { session } = (await login.json()) as { session: string };
    // Cognito ends a challenge session after 3 minutes and then answers exactly this.
    await injectFault({
      op: "RespondToAuthChallenge",
      username: email,
      kind: "error",
      type: "NotAuthorizedException",
      message: "Invalid session for the user, session is expired.",
    });
    const res = await send("/auth/challenge", { json: { email, challenge: "SOFTWARE_TOKEN_MFA", session, code: await totp(secret) } });
    await expectProblem(res, 401, "invalid_session");
  });

  it("answers 401 invalid_session for another user's session", async () => {
    const victim = await signedInUser();
    const { secret } = await enableTotp(victim.tokens.accessToken);
    const login = await send("/auth/login", { json: { email: victim.email, password: PASSWORD } });
    const { session } = (await login.json()) as { session: string };
    const attacker = await signedInUser();
    const res = await send("/auth/challenge", {
      json: { email: attacker.email, challenge: "SOFTWARE_TOKEN_MFA", session, code: await totp(secret) },
    });
    await expectProblem(res, 401, "invalid_session");
  });

  it.each([
    ["a code for an MFA challenge", { challenge: "SMS_MFA" }, "code"],
    ["a new password for NEW_PASSWORD_REQUIRED", { challenge: "NEW_PASSWORD_REQUIRED" }, "newPassword"],
    ["a known challenge name", { challenge: "CUSTOM_CHALLENGE", code: "1" }, "challenge"],
  ])("requires %s", async (_case, extra, path) => {
    const body = await expectProblem(
      await send("/auth/challenge", { json: { email: "a@example.com", session: "s", ...extra } }),
      400,
      "validation_failed",
    );
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });
});
