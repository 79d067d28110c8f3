// Choice-based sign-in (USER_AUTH): the methods, one-time codes by email,
// the password through the choice, the passkey challenge's shape, and what an
// attacker gets: the same first answers for unknown accounts, a wrong code
// counted and throttled, no second use of a code or a session, no session
// for another account.
import { describe, expect, it } from "vitest";
import { SESSION_LENGTH } from "../../src/seal/session";
import { WRONG_PASSWORD } from "../support/secrets";
import { registerPasskey } from "../support/passkeys";
import { answer, type Challenged, challenged, lastCode, registered, signInWithCode } from "../support/user-auth";
import {
  claimsOf,
  expectProblem,
  expectTokens,
  newEmail,
  PASSWORD,
  refresh,
  registeredUser,
  send,
  setCookie,
  taggedCognito,
  signedInUser,
  type Tokens,
} from "../support/worker";

const MASKED_EMAIL = { medium: "EMAIL", destination: "u***@e***" };

/** An answer as a client can tell it apart: status, headers (but the per-request id), body with the session left out. */
async function observable(res: Response) {
  const body = (await res.json()) as Record<string, unknown>;
  const { session, ...rest } = body;
  if (typeof session === "string") expect(session.length).toBeGreaterThanOrEqual(20);
  const options = rest.credentialRequestOptions as Record<string, unknown> | undefined;
  const shape = options ? { ...rest, credentialRequestOptions: Object.keys(options).sort() } : rest;
  const headers = [...res.headers].filter(([name]) => name !== "x-request-id");
  return { status: res.status, headers, body: shape };
}

describe("POST /auth/login without a password (USER_AUTH)", () => {
  it("offers the configured first factors to choose from (FIRST_FACTORS), whatever the account has", async () => {
    const { email } = await registeredUser();
    const methods = ["password", "email_otp", "sms_otp", "passkey"];
    expect(await challenged({ email })).toEqual({ challenge: "SELECT_CHALLENGE", session: expect.any(String), methods });
    const env = { FIRST_FACTORS: "passkey,password" };
    expect(await challenged({ email }, { env })).toEqual({ challenge: "SELECT_CHALLENGE", session: expect.any(String), methods: ["passkey", "password"] });
  });

  it("signs in with a code sent by email, as a fresh sign-in that refreshes", async () => {
    const { email } = await registeredUser();
    const got = await challenged({ email, method: "email_otp" });
    expect(got).toEqual({ challenge: "EMAIL_OTP", session: expect.any(String), delivery: MASKED_EMAIL });
    const res = await answer({ email }, got, { code: await lastCode(email) });
    const tokens = (await expectTokens(res, { refreshToken: true })) as unknown as Tokens;
    expect(setCookie(res, "__Host-device")).toMatch(/^__Host-device=/);
    // Step-up: a code is a sign-in, so auth_time is now and the sensitive routes accept the token.
    expect(Math.abs(Number(claimsOf(tokens.accessToken).auth_time) - Date.now() / 1000)).toBeLessThan(30);
    expect((await send("/auth/mfa/totp/setup", { method: "POST", token: tokens.accessToken })).status).toBe(200);
    expect((await refresh(tokens.refreshToken)).status).toBe(200);
    expect((await send("/auth/me", { token: tokens.accessToken })).status).toBe(200);
  });

  it("chooses a method at SELECT_CHALLENGE: a code, or the password", async () => {
    const { email } = await registeredUser();
    const choice = await challenged({ email });
    const res = await answer({ email }, choice, { method: "email_otp" });
    expect(res.status).toBe(200);
    const otp = (await res.json()) as { challenge: string; session: string };
    expect(otp).toEqual({ challenge: "EMAIL_OTP", session: expect.any(String), delivery: MASKED_EMAIL });
    await expectTokens(await answer({ email }, { ...otp }, { code: await lastCode(email) }), { refreshToken: true });
    await expectTokens(await answer({ email }, await challenged({ email }), { method: "password", password: PASSWORD }), { refreshToken: true });
    const wrong = await answer({ email }, await challenged({ email }), { method: "password", password: WRONG_PASSWORD });
    await expectProblem(wrong, 401, "invalid_credentials");
  });

  it("signs in with method password through USER_AUTH, a wrong password being the same 401 as at USER_PASSWORD_AUTH", async () => {
    const { email } = await registeredUser();
    await expectTokens(await send("/auth/login", { json: { email, method: "password", password: PASSWORD } }), { refreshToken: true });
    const wrong = await expectProblem(await send("/auth/login", { json: { email, method: "password", password: WRONG_PASSWORD } }), 401, "invalid_credentials");
    const classic = await expectProblem(await send("/auth/login", { json: { email, password: WRONG_PASSWORD } }), 401, "invalid_credentials");
    expect(wrong).toEqual(classic);
  });

  it("answers a passkey request with WebAuthn request options, and a credential that does not verify with 401", async () => {
    const { email } = await registeredUser();
    const got = await challenged({ email, method: "passkey" });
    expect(got).toEqual({ challenge: "WEB_AUTHN", session: expect.any(String), credentialRequestOptions: expect.any(Object) });
    expect(got.credentialRequestOptions).toMatchObject({ challenge: expect.stringMatching(/^[\w-]+$/) });
    expect(got.credentialRequestOptions).not.toHaveProperty("allowCredentials");
    const credential = {
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      response: { clientDataJSON: "e30", authenticatorData: "AAAA", signature: "AAAA" },
      clientExtensionResults: {},
    };
    await expectProblem(await answer({ email }, got, { credential }), 401, "invalid_credentials");
  });

  it.each([
    ["method password without a password", { method: "password" }, "password"],
    ["a password with another method", { method: "email_otp", password: PASSWORD }, "password"],
    ["an unknown method", { method: "magic_link" }, "method"],
    ["both email and phone", { phone: "+15555550100" }, "email"],
  ])("refuses %s (400 validation_failed naming it)", async (_case, extra, path) => {
    const body = await expectProblem(await send("/auth/login", { json: { email: newEmail(), ...extra } }), 400, "validation_failed");
    expect(body.errors).toEqual([{ path, message: expect.any(String) }]);
  });

  it.each([
    ["SELECT_CHALLENGE without a method", { challenge: "SELECT_CHALLENGE" }, "method"],
    ["SELECT_CHALLENGE, method password without one", { challenge: "SELECT_CHALLENGE", method: "password" }, "password"],
    ["EMAIL_OTP without a code", { challenge: "EMAIL_OTP" }, "code"],
    ["SMS_OTP without a code", { challenge: "SMS_OTP" }, "code"],
    ["WEB_AUTHN without a credential", { challenge: "WEB_AUTHN" }, "credential"],
    ["WEB_AUTHN with a credential that is no AuthenticationResponseJSON", { challenge: "WEB_AUTHN", credential: { id: 1 } }, "credential"],
  ])("refuses an answer to %s", async (_case, extra, path) => {
    const json = { email: newEmail(), session: "s".repeat(64), ...extra };
    const body = await expectProblem(await send("/auth/challenge", { json }), 400, "validation_failed");
    expect([...new Set((body.errors as { path: string }[]).map((e) => e.path.split(".")[0]))]).toEqual([path]);
  });
});

describe("USER_AUTH against an attacker", () => {
  // Cognito answers an unknown user's USER_AUTH with a challenge chosen at random per username
  // (the stand-in too): several unknown emails meet every kind of it.
  const unknown = () => Array.from({ length: 8 }, () => newEmail());

  it.each<[string, { method?: string }]>([
    ["the choice", {}],
    ["a code by email", { method: "email_otp" }],
    ["a passkey", { method: "passkey" }],
  ])("gives an unknown email the same first answer as a known one: %s", async (_case, extra) => {
    // The passkey case with a user who has one: Cognito's options then teach the Worker the pool's (docs/API.md).
    const { email, tokens } = await signedInUser();
    if (extra.method === "passkey") await registerPasskey(tokens.accessToken);
    const known = await observable(await send("/auth/login", { json: { email, ...extra } }));
    for (const stranger of unknown()) {
      expect(await observable(await send("/auth/login", { json: { email: stranger, ...extra } }))).toEqual(known);
    }
  });

  it("hands out sessions of one sealed shape: a known account's code step, an unknown account's, an unconfirmed account's first step", async () => {
    // Where Cognito gave no session (it refused the step), the Worker seals one without it: it must not stand out by length or alphabet.
    const shape = (session: string) => ({ length: session.length, alphabet: /^[\w-]+$/.test(session) ? "base64url" : "other" });
    const codeStep = async (email: string) => {
      const res = await answer({ email }, await challenged({ email }), { method: "email_otp" });
      expect(res.status).toBe(200);
      return ((await res.json()) as Challenged).session;
    };
    const cognitos = [];
    for (let i = 0; i < 3; i++) cognitos.push(await codeStep((await registeredUser()).email));
    const expected = { length: SESSION_LENGTH, alphabet: "base64url" };
    expect(cognitos.map(shape)).toEqual(Array(3).fill(expected));
    const own: string[] = [];
    for (let i = 0; i < 6; i++) own.push(await codeStep(newEmail()));
    for (let i = 0; i < 6; i++) own.push((await challenged({ email: (await registeredUser({ verify: false })).email, method: "email_otp" })).session);
    expect(own.map(shape)).toEqual(Array(12).fill(expected));
  });

  it("answers a guessed code for an unknown email as for a known one, at every step", async () => {
    const { email } = await registeredUser();
    const wrong = async (who: string) => {
      const choice = await challenged({ email: who });
      const otp = await answer({ email: who }, choice, { method: "email_otp" });
      expect(otp.status).toBe(200);
      const first = (await otp.json()) as { challenge: string; session: string };
      expect(first.challenge).toBe("EMAIL_OTP");
      return expectProblem(await answer({ email: who }, first, { code: "12345678" }), 400, "code_mismatch");
    };
    const known = await wrong(email);
    for (const stranger of unknown()) expect(await wrong(stranger)).toEqual(known);
  });

  it("counts a wrong code as a failed guess: the account is throttled before Cognito, whatever the code", async () => {
    const env = { RATE_LIMITS: "challenge=3/900" };
    const { email } = await registeredUser();
    const got = await challenged({ email, method: "email_otp" });
    const code = await lastCode(email);
    for (let i = 0; i < 3; i++) await expectProblem(await answer({ email }, got, { code: `0000000${i}` }, { env }), 400, "code_mismatch");
    const refused = await expectProblem(await answer({ email }, got, { code }, { env }), 429, "too_many_requests");
    expect(refused.code).toBe("too_many_requests");
    const stranger = newEmail();
    const other = await challenged({ email: stranger, method: "email_otp" });
    for (let i = 0; i < 3; i++) await expectProblem(await answer({ email: stranger }, other, { code: "00000000" }, { env }), 400, "code_mismatch");
    await expectProblem(await answer({ email: stranger }, other, { code: "00000000" }, { env }), 429, "too_many_requests");
  });

  it("draws the password of a SELECT_CHALLENGE from login's budget: the choice is no second door for password guesses", async () => {
    const env = { RATE_LIMITS: "login=2/900" };
    const { email } = await registeredUser();
    // Sessions taken before the guesses (the first step never counts), used after login's budget is spent.
    const early = [await challenged({ email }, { env }), await challenged({ email }, { env })];
    for (let i = 0; i < 2; i++) {
      await expectProblem(await send("/auth/login", { json: { email, password: WRONG_PASSWORD }, env }), 401, "invalid_credentials");
    }
    for (const password of [WRONG_PASSWORD, PASSWORD]) {
      await expectProblem(await answer({ email }, early.pop() as Challenged, { method: "password", password }, { env }), 429, "too_many_requests");
    }
    // And the other way round: wrong passwords at the choice spend the budget of /auth/login.
    const other = await registeredUser();
    for (let i = 0; i < 2; i++) {
      const choice = await challenged({ email: other.email }, { env });
      await expectProblem(await answer({ email: other.email }, choice, { method: "password", password: WRONG_PASSWORD }, { env }), 401, "invalid_credentials");
    }
    await expectProblem(await send("/auth/login", { json: { email: other.email, password: PASSWORD }, env }), 429, "too_many_requests");
  });

  it("answers the right code of a session Cognito ended as a wrong one, counts every refusal, and signs in with a new code", async () => {
    const cognito = taggedCognito();
    const env = { ...cognito.env, RATE_LIMITS: "challenge=5/900" };
    const { email } = await registeredUser();
    const got = await challenged({ email, method: "email_otp" }, { env });
    const code = await lastCode(email);
    for (let i = 0; i < 3; i++) await expectProblem(await answer({ email }, got, { code: `1111111${i}` }, { env }), 400, "code_mismatch");
    // Whether or not Cognito ended the session after three wrong codes, its right code is refused like a wrong one.
    await expectProblem(await answer({ email }, got, { code }, { env }), 400, "code_mismatch");
    // The next step is a new sign-in: its code signs in (the success is not counted).
    const next = await challenged({ email, method: "email_otp" }, { env });
    await expectTokens(await answer({ email }, next, { code: await lastCode(email) }, { env }), { refreshToken: true });
    // The four refusals were counted: a fifth fills the budget, and then even the right code is refused before Cognito.
    const again = await challenged({ email, method: "email_otp" }, { env });
    await expectProblem(await answer({ email }, again, { code: "22222222" }, { env }), 400, "code_mismatch");
    const asked = (await cognito.calls()).length;
    await expectProblem(await answer({ email }, again, { code: await lastCode(email) }, { env }), 429, "too_many_requests");
    expect(await cognito.calls()).toHaveLength(asked);
  });

  it("never takes a code twice, nor a code of an earlier sign-in", async () => {
    const { email } = await registeredUser();
    const got = await challenged({ email, method: "email_otp" });
    const code = await lastCode(email);
    await expectTokens(await answer({ email }, got, { code }), { refreshToken: true });
    await expectProblem(await answer({ email }, got, { code }), 400, "code_mismatch");
    const next = await challenged({ email, method: "email_otp" });
    expect(await lastCode(email)).not.toBe(code);
    await expectProblem(await answer({ email }, next, { code }), 400, "code_mismatch");
  });

  it("does not let one account's session and code sign in another account", async () => {
    const victim = await registeredUser();
    const attacker = await registeredUser();
    const got = await challenged({ email: attacker.email, method: "email_otp" });
    const res = await answer({ email: victim.email }, got, { code: await lastCode(attacker.email) });
    await expectProblem(res, 400, "code_mismatch");
    // And the attacker's own sign-in still works: nothing was spent on the victim.
    await expectTokens(await answer({ email: attacker.email }, got, { code: await lastCode(attacker.email) }), { refreshToken: true });
  });

  it("limits the codes an account is sent, known or not (send-code, every request)", async () => {
    const env = { RATE_LIMITS: "send-code=2/3600" };
    for (const email of [(await registeredUser()).email, newEmail()]) {
      for (let i = 0; i < 2; i++) expect((await send("/auth/login", { json: { email, method: "email_otp" }, env })).status).toBe(200);
      await expectProblem(await send("/auth/login", { json: { email, method: "email_otp" }, env }), 429, "too_many_requests");
    }
    const { email } = await registeredUser();
    await signInWithCode({ email }, "email_otp", email);
  });

  it("keeps sending codes to the owner's device when strangers spent the account's send-code budget: no lock-out of a passwordless account", async () => {
    const env = { RATE_LIMITS: "send-code=2/3600" };
    const email = newEmail();
    await registered({ email });
    const got = await challenged({ email, method: "email_otp" }, { env });
    const signedIn = await answer({ email }, got, { code: await lastCode(email) }, { env });
    await expectTokens(signedIn, { refreshToken: true });
    const device = String(setCookie(signedIn, "__Host-device")).split(";")[0];
    // A stranger, for the price of two requests an hour, would keep the account's only factor out of reach.
    expect((await send("/auth/login", { json: { email, method: "email_otp" }, env })).status).toBe(200);
    await expectProblem(await send("/auth/login", { json: { email, method: "email_otp" }, env }), 429, "too_many_requests");
    const owner = await challenged({ email, method: "email_otp" }, { env, headers: { Cookie: device } });
    await expectTokens(await answer({ email }, owner, { code: await lastCode(email) }, { env }), { refreshToken: true });
    // Over both budgets, the address's ceiling (one and a half budgets: 3) holds.
    await expectProblem(await send("/auth/login", { json: { email, method: "email_otp" }, env, headers: { Cookie: device } }), 429, "too_many_requests");
  });
});
