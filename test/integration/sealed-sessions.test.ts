// Every `session` the Worker answers is sealed by it (one length, no
// readable content), opens only for the step and username it was made for,
// and speaks for an account only when the Worker sealed it: a made-up session
// spends no account's budget and reaches no Cognito operation.
import { describe, expect, it } from "vitest";
import { SESSION_LENGTH } from "../../src/seal/session";
import { registerPasskey } from "../support/passkeys";
import { WRONG_PASSWORD } from "../support/secrets";
import { totp } from "../support/totp";
import { answer, type Challenged, challenged, lastCode } from "../support/user-auth";
import {
  enableTotp,
  expectProblem,
  expectTokens,
  injectFault,
  newEmail,
  PASSWORD,
  randomIpv6,
  registeredUser,
  send,
  signedInUser,
  taggedCognito,
} from "../support/worker";

/** What a session shows of itself: its length, its alphabet, and whether any readable text of Cognito's is inside. */
function looksOf(session: string) {
  const bytes = atob(session.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(session.length / 4) * 4, "="));
  return { length: session.length, base64url: /^[\w-]+$/.test(session), readable: /CognitoUserPools|aws-kms|arn:aws/.test(bytes) };
}
const SEALED = { length: SESSION_LENGTH, base64url: true, readable: false };

async function registerSession(email: string): Promise<string> {
  const res = await send("/auth/register", { json: { email, password: PASSWORD, name: "Test User" } });
  expect(res.status).toBe(201);
  return String(((await res.json()) as { session?: string }).session);
}

describe("sessions the Worker answers", () => {
  it("are sealed and of one length at every step, for known and unknown accounts alike", async () => {
    const { email, tokens } = await signedInUser();
    const stranger = newEmail();
    const sessions = [
      await registerSession(newEmail()),
      (await challenged({ email })).session,
      (await challenged({ email: stranger })).session,
      (await challenged({ email, method: "email_otp" })).session,
      (await challenged({ email: stranger, method: "email_otp" })).session,
      (await challenged({ email: stranger, method: "passkey" })).session,
    ];
    const choice = await challenged({ email });
    const otp = await answer({ email }, choice, { method: "email_otp" });
    expect(otp.status).toBe(200);
    sessions.push(((await otp.json()) as { session: string }).session);
    await enableTotp(tokens.accessToken);
    const mfa = await send("/auth/login", { json: { email, password: PASSWORD } });
    const mfaChallenge = (await mfa.json()) as { challenge: string; session: string };
    expect(mfaChallenge.challenge).toBe("SOFTWARE_TOKEN_MFA");
    sessions.push(mfaChallenge.session);
    for (const session of sessions) expect(looksOf(session)).toEqual(SEALED);
  });

  it("opens only for its own step: an EMAIL_OTP session presented as a TOTP step is refused without Cognito", async () => {
    const { email } = await registeredUser();
    const got = await challenged({ email, method: "email_otp" });
    const cognito = taggedCognito();
    const res = await answer({ email }, { ...got, challenge: "SOFTWARE_TOKEN_MFA" }, { code: "123456" }, { env: cognito.env });
    await expectProblem(res, 401, "invalid_session");
    expect(await cognito.calls()).toEqual([]);
  });

  it("finishes a TOTP sign-in with its sealed session", async () => {
    const { email, tokens } = await signedInUser();
    const { secret } = await enableTotp(tokens.accessToken);
    const res = await send("/auth/login", { json: { email, password: PASSWORD } });
    const got = (await res.json()) as { challenge: string; session: string };
    await expectTokens(await answer({ email }, got, { code: await totp(secret) }), { refreshToken: true });
  });
});

describe("a session the Worker did not seal", () => {
  it("spends the sender's budget, not the named account's, and reaches no Cognito operation", async () => {
    const env = { RATE_LIMITS: "challenge=2/900" };
    const { email } = await registeredUser();
    const cognito = taggedCognito();
    const forged = ["x", "A".repeat(SESSION_LENGTH), (await challenged({ email: newEmail(), method: "email_otp" })).session];
    for (const session of [...forged, ...forged]) {
      const res = await send("/auth/challenge", { json: { email, challenge: "EMAIL_OTP", session, code: "12345678" }, env: { ...env, ...cognito.env } });
      await expectProblem(res, 400, "code_mismatch");
    }
    expect(await cognito.calls()).toEqual([]);
    // The owner signs in with a code as if nothing happened.
    const got = await challenged({ email, method: "email_otp" }, { env });
    await expectTokens(await answer({ email }, got, { code: await lastCode(email) }, { env }), { refreshToken: true });
  });

  it("is throttled per client IP like any other guess", async () => {
    const ip = randomIpv6();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await send("/auth/challenge", { json: { email: newEmail(), challenge: "EMAIL_OTP", session: "x".repeat(64), code: "1" }, headers: { "CF-Connecting-IP": ip } });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 429 && s !== 400)).toEqual([]);
  });
});

describe("POST /auth/verify", () => {
  it("signs in only with the register session sealed for this username: another account's session only confirms", async () => {
    const attacker = newEmail();
    const foreign = await registerSession(attacker);
    for (const session of [foreign, "x".repeat(64)]) {
      const victim = newEmail();
      await registerSession(victim);
      const res = await send("/auth/verify", { json: { email: victim, code: await lastCode(victim), session } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ confirmed: true });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    // The attacker's own session still signs the attacker in.
    const own = await send("/auth/verify", { json: { email: attacker, code: await lastCode(attacker), session: foreign } });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ confirmed: true, accessToken: expect.any(String) });
  });
});

describe("first answers that only an existing account could cause", () => {
  it("answers a code send Cognito refuses for the account (the pool's email role may not send) as for an unknown account", async () => {
    // InitiateAuth declares neither LimitExceededException nor CodeDeliveryFailureException (the SDK's model).
    for (const type of ["InvalidEmailRoleAccessPolicyException"]) {
      const { email } = await registeredUser();
      await injectFault({ op: "InitiateAuth", username: email, kind: "error", type, message: "injected" });
      const res = await send("/auth/login", { json: { email, method: "email_otp" } });
      expect(res.status).toBe(200);
      const got = (await res.json()) as Challenged;
      expect({ ...got, session: looksOf(got.session) }).toEqual({ challenge: "EMAIL_OTP", session: SEALED, delivery: { medium: "EMAIL", destination: "u***@e***" } });
      await expectProblem(await answer({ email }, got, { code: "12345678" }), 400, "code_mismatch");
    }
  });

  it("answers forgot-password and resend-code with 202 when Cognito refuses to send to the account (only a real one can meet that)", async () => {
    for (const type of ["CodeDeliveryFailureException", "LimitExceededException", "InvalidEmailRoleAccessPolicyException"]) {
      const { email } = await registeredUser();
      await injectFault({ op: "ForgotPassword", username: email, kind: "error", type, message: "injected" });
      const forgot = await send("/auth/forgot-password", { json: { email } });
      expect({ status: forgot.status, body: await forgot.json() }).toEqual({ status: 202, body: {} });
      const unconfirmed = (await registeredUser({ verify: false })).email;
      await injectFault({ op: "ResendConfirmationCode", username: unconfirmed, kind: "error", type, message: "injected" });
      const resend = await send("/auth/resend-code", { json: { email: unconfirmed } });
      expect({ status: resend.status, body: await resend.json() }).toEqual({ status: 202, body: {} });
    }
  });

  it("answers a pre-authentication Lambda's refusal as a wrong password, with and without a method", async () => {
    const { email } = await registeredUser();
    for (const json of [{ email, password: PASSWORD }, { email, method: "password", password: PASSWORD }]) {
      await injectFault({ op: "InitiateAuth", username: email, kind: "error", type: "UserLambdaValidationException", message: "PreAuthentication failed" });
      await expectProblem(await send("/auth/login", { json }), 401, "invalid_credentials");
    }
  });

  it("answers method password for an unknown account with 401, whatever challenge Cognito picked at random", async () => {
    for (let i = 0; i < 8; i++) {
      await expectProblem(await send("/auth/login", { json: { email: newEmail(), method: "password", password: WRONG_PASSWORD } }), 401, "invalid_credentials");
    }
  });

  it("takes the passkey request's relying party and timeout from the configuration, for known and unknown accounts", async () => {
    const env = { PASSKEY_RP_ID: "example.org", PASSKEY_TIMEOUT_MS: "90000", PASSKEY_USER_VERIFICATION: "required" };
    const { tokens, email } = await signedInUser();
    await registerPasskey(tokens.accessToken);
    const expected = { challenge: expect.stringMatching(/^[\w-]{16,}$/), rpId: "example.org", timeout: 90000, userVerification: "required" };
    for (const who of [email, newEmail()]) {
      const got = await challenged({ email: who, method: "passkey" }, { env });
      expect(got.credentialRequestOptions).toEqual(expected);
      expect(Object.keys(got.credentialRequestOptions ?? {})).toEqual(Object.keys(expected));
    }
  });
});
