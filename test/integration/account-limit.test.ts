import { describe, expect, it } from "vitest";
import { totp } from "../support/totp";
import { expectProblem, newEmail, PASSWORD, registeredUser, send, setCookie, signedInUser } from "../support/worker";

const WRONG = "Wrong-Passw0rd!";
const DEVICE_COOKIE = /^__Host-device=([\w-]{22}); Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Strict$/;

const login = (email: string, password: string, options: { cookie?: string; env?: Record<string, string> } = {}) =>
  send("/auth/login", { json: { email, password }, headers: options.cookie ? { Cookie: options.cookie } : {}, env: options.env });

/** The `__Host-device=<id>` pair a sign-in set, to send back as a Cookie header. */
function deviceOf(res: Response): string {
  const cookie = setCookie(res, "__Host-device") ?? "";
  expect(cookie).toMatch(DEVICE_COOKIE);
  return cookie.split(";")[0];
}

describe("per-account limits count failures only", () => {
  it("lets an honest user sign in 12 times in a row", async () => {
    const { email } = await registeredUser();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(email, PASSWORD)).status);
    expect(statuses).toEqual(Array(12).fill(200));
  });

  it("refuses an attacker spread over 25 IPs before Cognito, while the owner's device still signs in", async () => {
    const { email } = await registeredUser();
    const owner = deviceOf(await login(email, PASSWORD));
    const stranger = deviceOf(await login((await registeredUser()).email, PASSWORD));
    // send() gives every request a client IP (a /64) of its own.
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await login(email, WRONG)).status);
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(15).fill(429)]);
    // The right password is refused too (no oracle), so Cognito was not asked;
    // a device cookie that signed in to another account counts as unknown here.
    for (const cookie of [undefined, stranger, "__Host-device=not-a-device-id"]) {
      const refused = await login(email, PASSWORD, { cookie });
      await expectProblem(refused, 429, "too_many_requests");
      expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get("Retry-After"))).toBeLessThanOrEqual(900);
      expect(setCookie(refused, "__Host-device")).toBeUndefined();
    }
    const again = await login(email, PASSWORD, { cookie: owner });
    expect(again.status).toBe(200);
    expect(deviceOf(again)).toBe(owner);
  });

  it("gives the owner's device a budget of its own, spent by its own failures", async () => {
    const env = { RATE_LIMITS: "login=2/900" };
    const { email } = await registeredUser();
    const owner = deviceOf(await login(email, PASSWORD, { env }));
    for (let i = 0; i < 2; i++) await expectProblem(await login(email, WRONG, { env }), 401, "invalid_credentials");
    for (let i = 0; i < 2; i++) await expectProblem(await login(email, WRONG, { cookie: owner, env }), 401, "invalid_credentials");
    await expectProblem(await login(email, PASSWORD, { cookie: owner, env }), 429, "too_many_requests");
  });

  it("answers an unknown email exactly like a known one, before and while throttled", async () => {
    const env = { RATE_LIMITS: "login=3/900" };
    const { email } = await registeredUser();
    const unknown = newEmail();
    const answer = async (res: Response) => ({
      status: res.status,
      body: await res.text(),
      headers: [...res.headers].filter(([name]) => name !== "x-request-id" && name !== "retry-after"),
      // The two windows may start a second apart.
      retryAfter: Number(res.headers.get("Retry-After") ?? 0) > 0,
    });
    for (let i = 0; i < 4; i++) {
      const known = await answer(await login(email, i < 3 ? WRONG : PASSWORD, { env }));
      expect(known.status).toBe(i < 3 ? 401 : 429);
      expect(await answer(await login(unknown, i < 3 ? WRONG : PASSWORD, { env }))).toEqual(known);
    }
  });

  it("counts guesses per IP when the limiter fails, and still signs in (logged)", async () => {
    const down = () => Promise.reject(new Error("limiter down"));
    const env = { ACCOUNT_LIMITER: { idFromName: () => ({}), get: () => ({ attempt: down, send: down, refund: down, trust: down }) } };
    const { email } = await registeredUser();
    await expectProblem(await send("/auth/login", { json: { email, password: WRONG }, env }), 401, "invalid_credentials");
    const res = await send("/auth/login", { json: { email, password: PASSWORD }, env });
    expect(res.status).toBe(200);
    expect(setCookie(res, "__Host-device")).toMatch(DEVICE_COOKIE);
  });

  it("lets at most the budget of concurrent wrong guesses reach Cognito", async () => {
    const { email } = await registeredUser();
    const statuses = await Promise.all(Array.from({ length: 15 }, async () => (await login(email, WRONG)).status));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

describe("the device cookie", () => {
  it.each(["cookie", "body", "both"])("is set by a sign-in in %s delivery mode, and not by a failed one", async (mode) => {
    const env = { REFRESH_TOKEN_DELIVERY: mode };
    const { email } = await registeredUser();
    const res = await login(email, PASSWORD, { env });
    expect(res.status).toBe(200);
    expect(setCookie(res, "__Host-device")).toMatch(DEVICE_COOKIE);
    expect(setCookie(await login(email, WRONG, { env }), "__Host-device")).toBeUndefined();
  });

  it("keeps a well-formed presented id and replaces a malformed one", async () => {
    const { email } = await registeredUser();
    const device = `__Host-device=${"A".repeat(21)}-`;
    expect(deviceOf(await login(email, PASSWORD, { cookie: device }))).toBe(device);
    expect(deviceOf(await login(email, PASSWORD, { cookie: "__Host-device=short" }))).not.toBe("__Host-device=short");
  });

  it("is set when a challenge signs in, and not by a refresh", async () => {
    const { email, tokens } = await signedInUser();
    const setup = (await (await send("/auth/mfa/totp/setup", { method: "POST", token: tokens.accessToken })).json()) as { secret: string };
    const verify = await send("/auth/mfa/totp/verify", { token: tokens.accessToken, json: { code: await totp(setup.secret) } });
    expect(verify.status).toBe(204);
    const first = await login(email, PASSWORD);
    const { session } = (await first.json()) as { session: string };
    expect(setCookie(first, "__Host-device")).toBeUndefined();
    const res = await send("/auth/challenge", {
      json: { email, challenge: "SOFTWARE_TOKEN_MFA", session, code: await totp(setup.secret) },
    });
    expect(res.status).toBe(200);
    deviceOf(res);
    const refreshed = await send("/auth/refresh", { json: { refreshToken: tokens.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(setCookie(refreshed, "__Host-device")).toBeUndefined();
  });
});
