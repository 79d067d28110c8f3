import { describe, expect, it } from "vitest";
import { expectProblem, newEmail, PASSWORD, registeredUser, send } from "../support/worker";

const login = (email: string, password: string, headers: Record<string, string> = {}, env: Record<string, string> = {}) =>
  send("/auth/login", { json: { email, password }, headers, env });

describe("abuse limits", () => {
  it("throttles one account across many IPs, answers known and unknown accounts alike, and recovers after the window", async () => {
    const env = { RATE_LIMITS: "login=3/2" };
    const { email } = await registeredUser();
    const unknown = newEmail();
    for (let i = 0; i < 3; i++) {
      expect((await login(email, "Wrong-Passw0rd!", {}, env)).status).toBe(401);
      expect((await login(unknown, "Wrong-Passw0rd!", {}, env)).status).toBe(401);
    }
    const known = await login(email, PASSWORD, {}, env);
    const other = await login(unknown, PASSWORD, {}, env);
    const a = await expectProblem(known, 429, "too_many_requests");
    const b = await expectProblem(other, 429, "too_many_requests");
    expect(a).toEqual(b);
    expect(Number(known.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(known.headers.get("Retry-After"))).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await login(email, PASSWORD, {}, env)).status).toBe(200);
  });

  it("counts each action on its own: a throttled login does not block a password reset", async () => {
    const env = { RATE_LIMITS: "login=1/60" };
    const { email } = await registeredUser();
    await login(email, "Wrong-Passw0rd!", {}, env);
    await expectProblem(await login(email, PASSWORD, {}, env), 429, "too_many_requests");
    expect((await send("/auth/forgot-password", { json: { email }, env })).status).toBe(202);
  });

  it("throttles one IP across many accounts (30 a minute per action)", async () => {
    const headers = { "CF-Connecting-IP": `203.0.113.${Math.floor(Math.random() * 250)}` };
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await send("/auth/forgot-password", { json: { email: newEmail() }, headers })).status);
    expect(statuses.slice(0, 30).every((s) => s === 202)).toBe(true);
    const res = await send("/auth/forgot-password", { json: { email: newEmail() }, headers });
    await expectProblem(res, 429, "too_many_requests");
    expect(res.headers.get("Retry-After")).toBe("60");
    // Another IP is not affected.
    expect((await send("/auth/forgot-password", { json: { email: newEmail() } })).status).toBe(202);
  });

  it.each(["register", "verify", "resend-code", "forgot-password", "reset-password", "challenge"])(
    "limits %s per account",
    async (action) => {
      const email = newEmail();
      const bodies: Record<string, unknown> = {
        register: { email, password: PASSWORD, name: "A" },
        verify: { email, code: "000000" },
        "resend-code": { email },
        "forgot-password": { email },
        "reset-password": { email, code: "000000", newPassword: PASSWORD },
        challenge: { email, challenge: "SMS_MFA", session: "s", code: "000000" },
      };
      const env = { RATE_LIMITS: `${action}=1/60` };
      const first = await send(`/auth/${action}`, { json: bodies[action], env });
      expect(first.status).not.toBe(429);
      await expectProblem(await send(`/auth/${action}`, { json: bodies[action], env }), 429, "too_many_requests");
    },
  );
});
