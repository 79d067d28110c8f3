// What sending a code may cost: budgets per account and destination, the SMS
// allow-list, the worldwide SMS budget, the /48 tier and a limiter outage.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeLimiter, slash48, slash64, spent } from "../support/limiter";
import { newPhone } from "../support/user-auth";
import { expectProblem, newEmail, PASSWORD, registeredUser, send, setCookie, signedInUser, taggedCognito } from "../support/worker";

const WRONG = "Wrong-Passw0rd!";
const hex4 = () => crypto.randomUUID().slice(0, 4);

/** Signs in with the password; returns the `__Host-device=<id>` pair the sign-in set. */
async function newDevice(email: string, options: { env?: Record<string, unknown> } = {}): Promise<string> {
  const res = await send("/auth/login", { json: { email, password: PASSWORD }, env: options.env });
  expect(res.status).toBe(200);
  return (setCookie(res, "__Host-device") ?? "").split(";")[0];
}

/** Asks for a sign-in code by email (send-code), from `cookie`'s device or from none; returns the status. */
const sendCode = async (email: string, envOverrides: Record<string, unknown>, cookie?: string) =>
  (await send("/auth/login", { json: { email, method: "email_otp" }, headers: cookie ? { Cookie: cookie } : {}, env: envOverrides })).status;

describe("sending budgets per account", () => {
  it("does not multiply codes by signing in with new device ids", async () => {
    const limits = { RATE_LIMITS: "send-code=2/3600" };
    const { email } = await registeredUser();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const device = await newDevice(email, { env: limits });
      for (let j = 0; j < 2; j++) statuses.push(await sendCode(email, limits, device));
    }
    // All trusted devices share one budget of 2.
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429, 429, 429]);
  });

  it("keeps the owner's trusted devices in codes when strangers spend theirs", async () => {
    const limits = { RATE_LIMITS: "send-code=3/3600" };
    const { email } = await registeredUser();
    const owner = await newDevice(email, { env: limits });
    const strangers: number[] = [];
    for (let i = 0; i < 4; i++) strangers.push(await sendCode(email, limits));
    expect(strangers).toEqual([200, 200, 200, 429]);
    // A made-up device id is a stranger too.
    expect(await sendCode(email, limits, `__Host-device=${"x".repeat(22)}`)).toBe(429);
    expect(await sendCode(email, limits, owner)).toBe(200);
  });

  it("holds a ceiling per destination over the trusted and the strangers' budgets", async () => {
    // 2 a budget; the ceiling is one and a half budgets: 3.
    const limits = { RATE_LIMITS: "send-code=2/3600" };
    const { email } = await registeredUser();
    const owner = await newDevice(email, { env: limits });
    expect([await sendCode(email, limits), await sendCode(email, limits)]).toEqual([200, 200]);
    expect([await sendCode(email, limits, owner), await sendCode(email, limits, owner)]).toEqual([200, 429]);
  });

  it("counts a number that other accounts name as theirs as a stranger's", async () => {
    const limits = { RATE_LIMITS: "attribute-code=1/3600" };
    const target = newPhone();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { tokens } = await signedInUser();
      const res = await send("/auth/me", { method: "PATCH", token: tokens.accessToken, json: { attributes: { phone_number: target } }, env: limits });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 429, 429]);
  });

  it("remembers at most 20 devices per account: the oldest is forgotten", async () => {
    const limits = { RATE_LIMITS: "login=1/900" };
    const { email } = await registeredUser();
    const first = await newDevice(email, { env: limits });
    for (let i = 0; i < 20; i++) await newDevice(email, { env: limits });
    // The first device's own guess budget is gone with it: it counts as a stranger, whose budget is spent.
    await expectProblem(await send("/auth/login", { json: { email, password: WRONG }, env: limits }), 401, "invalid_credentials");
    await expectProblem(await send("/auth/login", { json: { email, password: WRONG }, headers: { Cookie: first }, env: limits }), 429, "too_many_requests");
  });
});

describe("SMS", () => {
  it("refuses numbers outside SMS_COUNTRY_CODES before Cognito, alike for known and unknown numbers", async () => {
    const phone = newPhone();
    const made = await send("/auth/register", { json: { phone, password: PASSWORD, name: "Ada" } });
    expect(made.status).toBe(201);
    const cognito = taggedCognito();
    const only44 = { ...cognito.env, SMS_COUNTRY_CODES: "44" };
    const { tokens } = await signedInUser();
    const requests: [string, { method?: string; json: unknown; token?: string }][] = [
      ["/auth/register", { json: { phone: newPhone(), password: PASSWORD, name: "Ada" } }],
      ["/auth/register", { json: { email: newEmail(), phone: newPhone(), password: PASSWORD, name: "Ada" } }],
      ["/auth/resend-code", { json: { phone } }],
      ["/auth/resend-code", { json: { phone: newPhone() } }],
      ["/auth/login", { json: { phone, method: "sms_otp" } }],
      ["/auth/login", { json: { phone: newPhone(), method: "sms_otp" } }],
      ["/auth/me", { method: "PATCH", token: tokens.accessToken, json: { attributes: { phone_number: newPhone() } } }],
    ];
    for (const [path, options] of requests) {
      await expectProblem(await send(path, { ...options, env: only44 }), 400, "sms_country_not_allowed");
    }
    expect(await cognito.calls()).toEqual([]);
    // Email keeps working, and a number of an allowed country is sent to.
    expect((await send("/auth/register", { json: { email: newEmail(), password: PASSWORD, name: "Ada" }, env: only44 })).status).toBe(201);
    expect((await send("/auth/register", { json: { phone: newPhone(), password: PASSWORD, name: "Ada" }, env: { SMS_COUNTRY_CODES: "44,1" } })).status).toBe(201);
  });

  it("refuses every number when SMS_COUNTRY_CODES is empty", async () => {
    await expectProblem(await send("/auth/register", { json: { phone: newPhone(), password: PASSWORD, name: "Ada" }, env: { SMS_COUNTRY_CODES: "" } }), 400, "sms_country_not_allowed");
  });

  it("stops SMS at the worldwide hourly budget while email keeps working", async () => {
    // A budget object of this test's own, of the Worker's class.
    const id = env.SMS_BUDGET.newUniqueId();
    const budget = { SMS_HOURLY_LIMIT: "2", SMS_BUDGET: { idFromName: () => id, get: () => env.SMS_BUDGET.get(id) } };
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await send("/auth/register", { json: { phone: newPhone(), password: PASSWORD, name: "Ada" }, env: budget })).status);
    expect(statuses).toEqual([201, 201]);
    const refused = await send("/auth/resend-code", { json: { phone: newPhone() }, env: budget });
    await expectProblem(refused, 429, "too_many_requests");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("Retry-After"))).toBeLessThanOrEqual(3600);
    expect((await send("/auth/register", { json: { email: newEmail(), password: PASSWORD, name: "Ada" }, env: budget })).status).toBe(201);
    expect((await send("/auth/forgot-password", { json: { email: newEmail() }, env: budget })).status).toBe(202);
  });
});

describe("per-IP limits", () => {
  /** An IPv6 /48 of its own, and the key SITE_LIMITER counts it under. */
  const newSite = () => {
    const site = `2001:db8:${hex4()}`;
    return { site, key: `forgot-password:${slash48(site)}` };
  };
  const forgotFrom = async (ip: string, overrides: Record<string, unknown> = {}) =>
    (await send("/auth/forgot-password", { json: { email: newEmail() }, headers: { "CF-Connecting-IP": ip }, env: overrides })).status;

  it("counts an IPv6 /48 as one site: every /64 of it draws on one budget", async () => {
    const SITE_LIMITER = fakeLimiter(3);
    const { site, key } = newSite();
    const other = newSite();
    const statuses: number[] = [];
    // A new /64 for every request: the per-/64 limit is not what refuses the fourth.
    for (let i = 0; i < 4; i++) statuses.push(await forgotFrom(`${site}:${i.toString(16)}::1`, { SITE_LIMITER }));
    statuses.push(await forgotFrom(`${other.site}:1::1`, { SITE_LIMITER }));
    expect(statuses).toEqual([202, 202, 202, 429, 202]);
    expect(SITE_LIMITER.charged).toEqual([...Array(4).fill(key), other.key]);
  });

  it("the real SITE_LIMITER (wrangler.toml) allows 120 requests a minute per /48", async () => {
    const { site, key } = newSite();
    const statuses = await spent(env.SITE_LIMITER, key, 119, async () => [await forgotFrom(`${site}:1::1`), await forgotFrom(`${site}:2::1`)]);
    expect(statuses).toEqual([202, 429]);
  });
});

describe("a limiter outage", () => {
  const down = () => Promise.reject(new Error("limiter down"));
  const outage = { ACCOUNT_LIMITER: { idFromName: () => ({}), get: () => ({ attempt: down, send: down, refund: down, trust: down }) } };

  it("does not open guessing: the guesses are counted per client IP instead (FALLBACK_LIMITER)", async () => {
    const { email } = await registeredUser();
    const ip = `2001:db8:${hex4()}:${hex4()}::1`;
    const FALLBACK_LIMITER = fakeLimiter(3);
    const cognito = taggedCognito();
    const guess = async () =>
      (await send("/auth/login", { json: { email, password: WRONG }, headers: { "CF-Connecting-IP": ip }, env: { ...outage, FALLBACK_LIMITER, ...cognito.env } })).status;
    const got: number[] = [];
    for (let i = 0; i < 3; i++) got.push(await guess());
    const called = (await cognito.calls()).length;
    for (let i = 0; i < 2; i++) got.push(await guess());
    expect(got).toEqual([401, 401, 401, 429, 429]);
    expect(FALLBACK_LIMITER.charged).toEqual(Array(5).fill(`login:${slash64(ip)}`));
    // The refused guesses never reached Cognito.
    expect(called).toBeGreaterThanOrEqual(3);
    expect(await cognito.calls()).toHaveLength(called);
    // Another IP still signs in.
    expect((await send("/auth/login", { json: { email, password: PASSWORD }, env: { ...outage, FALLBACK_LIMITER } })).status).toBe(200);
  });

  it("the real FALLBACK_LIMITER (wrangler.toml) gives one IP 5 guesses a minute", async () => {
    const { email } = await registeredUser();
    const ip = `2001:db8:${hex4()}:${hex4()}::1`;
    const guess = async () => (await send("/auth/login", { json: { email, password: WRONG }, headers: { "CF-Connecting-IP": ip }, env: outage })).status;
    const statuses = await spent(env.FALLBACK_LIMITER, `login:${slash64(ip)}`, 4, async () => [await guess(), await guess()]);
    expect(statuses).toEqual([401, 429]);
  });

  it("refuses to send codes (503 with Retry-After)", async () => {
    const { email } = await registeredUser();
    for (const [path, json] of [
      ["/auth/forgot-password", { email }],
      ["/auth/resend-code", { email }],
      ["/auth/login", { email, method: "email_otp" }],
      ["/auth/register", { email: newEmail(), password: PASSWORD, name: "Ada" }],
    ] as const) {
      const res = await send(path, { json, env: outage });
      await expectProblem(res, 503, "upstream_unavailable");
      expect(Number(res.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    }
  });
});
