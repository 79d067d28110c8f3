// Passwordless sign-up, and the sign-in that follows a confirmation: with the
// session register answered, POST /auth/verify answers tokens. A code alone
// (stolen, guessed, or confirmed from another device) confirms and signs
// nobody in; a session works once, for its own account.
import { describe, expect, it } from "vitest";
import { WRONG_PASSWORD } from "../support/secrets";
import { challenged, lastCode, registered, signInWithCode } from "../support/user-auth";
import { claimsOf, expectProblem, newEmail, PASSWORD, send, setCookie } from "../support/worker";

/** POST /auth/register answered 201; returns the body. */
async function register(json: Record<string, unknown>) {
  const res = await send("/auth/register", { json: { name: "Ada", ...json } });
  expect(res.status).toBe(201);
  return { res, body: (await res.json()) as { userSub: string; confirmed: boolean; session?: string; delivery?: unknown } };
}

/** A tokens answer with `confirmed: true` (docs/API.md), no-store; returns its body. */
async function expectSignedIn(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toEqual({
    confirmed: true,
    accessToken: expect.any(String),
    idToken: expect.any(String),
    expiresIn: expect.any(Number),
    tokenType: "Bearer",
    refreshToken: expect.stringMatching(/^ce2\./),
  });
  return body;
}

const verify = (json: Record<string, unknown>, env?: Record<string, string | undefined>) => send("/auth/verify", { json, env });

describe("passwordless sign-up", () => {
  it("registers without a password and signs in on confirmation, with the session register answered", async () => {
    const email = newEmail();
    const { res, body } = await register({ email });
    expect(body).toEqual({
      userSub: expect.any(String),
      confirmed: false,
      delivery: { medium: "EMAIL", destination: "u***@e***" },
      session: expect.any(String),
    });
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const confirmed = await verify({ email, code: await lastCode(email), session: body.session });
    const answer = await expectSignedIn(confirmed);
    expect(setCookie(confirmed, "__Host-refresh")).toMatch(/^__Host-refresh=ce2\./);
    expect(setCookie(confirmed, "__Host-device")).toMatch(/^__Host-device=/);
    expect(claimsOf(String(answer.accessToken)).sub).toBe(body.userSub);
    expect((await send("/auth/me", { token: String(answer.accessToken) })).status).toBe(200);
  });

  it("signs a passwordless account in with codes only: a password never works, and the choice offers codes", async () => {
    const email = newEmail();
    await registered({ email });
    await expectProblem(await send("/auth/login", { json: { email, password: PASSWORD } }), 401, "invalid_credentials");
    expect(await challenged({ email })).toEqual({ challenge: "SELECT_CHALLENGE", session: expect.any(String), methods: ["password", "email_otp", "sms_otp", "passkey"] });
    const tokens = await signInWithCode({ email }, "email_otp", email);
    expect((await send("/auth/me", { token: tokens.accessToken })).status).toBe(200);
  });
});

describe("sign-in on confirmation", () => {
  it("signs a password sign-up in too, so that confirming needs no second sign-in", async () => {
    const email = newEmail();
    const { body } = await register({ email, password: PASSWORD });
    await expectSignedIn(await verify({ email, code: await lastCode(email), session: body.session }));
  });

  it("delivers the refresh token as REFRESH_TOKEN_DELIVERY says: only the cookie by default", async () => {
    const email = newEmail();
    const { body } = await register({ email });
    const res = await verify({ email, code: await lastCode(email), session: body.session }, { REFRESH_TOKEN_DELIVERY: undefined });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ confirmed: true, accessToken: expect.any(String) });
    expect(answer.refreshToken).toBeUndefined();
    expect(setCookie(res, "__Host-refresh")).toMatch(/^__Host-refresh=ce2\.[^;]+; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  });

  it("only confirms when the request brings the code alone: a stolen or guessed code signs nobody in", async () => {
    const email = newEmail();
    await register({ email });
    const res = await verify({ email, code: await lastCode(email) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ confirmed: true });
    expect(setCookie(res, "__Host-refresh")).toBeUndefined();
    expect(setCookie(res, "__Host-device")).toBeUndefined();
  });

  it("does not let one registration's session sign in another account, whose confirmation still stands", async () => {
    const attacker = newEmail("attacker");
    const victim = newEmail("victim");
    const { body } = await register({ email: attacker, password: PASSWORD });
    await register({ email: victim, password: PASSWORD });
    const res = await verify({ email: victim, code: await lastCode(victim), session: body.session });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ confirmed: true });
    expect(setCookie(res, "__Host-refresh")).toBeUndefined();
    expect((await send("/auth/login", { json: { email: victim, password: PASSWORD } })).status).toBe(200);
  });

  it("uses a session once: replaying the verification gets no tokens", async () => {
    const email = newEmail();
    const { body } = await register({ email });
    const code = await lastCode(email);
    expect((await verify({ email, code, session: body.session })).status).toBe(200);
    const again = await verify({ email, code, session: body.session });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { code: string }).code).toMatch(/^code_(expired|mismatch)$/);
    expect(setCookie(again, "__Host-refresh")).toBeUndefined();
  });

  it("answers a wrong code with 400 code_mismatch, counted as a guess until the account is throttled", async () => {
    const env = { RATE_LIMITS: "verify=2/900" };
    const email = newEmail();
    const { body } = await register({ email });
    for (let i = 0; i < 2; i++) await expectProblem(await verify({ email, code: `00000${i}`, session: body.session }, env), 400, "code_mismatch");
    await expectProblem(await verify({ email, code: await lastCode(email), session: body.session }, env), 429, "too_many_requests");
    // An unknown email the same: a wrong code, then the same 429.
    const stranger = newEmail();
    for (let i = 0; i < 2; i++) await expectProblem(await verify({ email: stranger, code: "000000", session: body.session }, env), 400, "code_mismatch");
    await expectProblem(await verify({ email: stranger, code: "000000" }, env), 429, "too_many_requests");
  });

  it("refuses a malformed session or an unknown field (400 validation_failed)", async () => {
    const email = newEmail();
    for (const json of [{ email, code: "123456", session: "" }, { email, code: "123456", session: 5 }, { email, code: "123456", password: WRONG_PASSWORD }]) {
      await expectProblem(await verify(json), 400, "validation_failed");
    }
  });
});
