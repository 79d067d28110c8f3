import { env as base } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeLimiter, slash64, spent } from "../support/limiter";
import { randomIpv4 } from "../support/minute";
import { totp } from "../support/totp";
import { expectProblem, newEmail, PASSWORD, registeredUser, send, signedInUser, sleep, taggedCognito } from "../support/worker";

const WRONG = "Wrong-Passw0rd!";
const hex4 = () => crypto.randomUUID().slice(0, 4);

const login = (email: string, password: string, env: Record<string, string> = {}) =>
  send("/auth/login", { json: { email, password }, env });

/** Status, code and Retry-After of forgot-password requests from the given client IPs, in order. */
async function forgotFrom(ips: string[], env: Record<string, unknown> = {}) {
  const answers = [];
  for (const ip of ips) {
    const res = await send("/auth/forgot-password", { json: { email: newEmail() }, headers: { "CF-Connecting-IP": ip }, env });
    const body = (await res.json()) as { code?: string };
    answers.push({ status: res.status, code: body.code, retryAfter: res.headers.get("Retry-After") });
  }
  return answers;
}

const ACCEPTED = { status: 202, code: undefined, retryAfter: null };
const REFUSED = { status: 429, code: "too_many_requests", retryAfter: "60" };
/** wrangler.toml: IP_LIMITER. */
const PER_IP = 30;
/** What the tests' own limiter allows per key. */
const ALLOWED = 3;

describe("per-IP limits", () => {
  it("throttles one IP across many accounts before Cognito is asked; another IP is not affected", async () => {
    const IP_LIMITER = fakeLimiter(ALLOWED);
    const cognito = taggedCognito();
    const [ip, other] = [randomIpv4(), randomIpv4()];
    const answers = await forgotFrom([...Array<string>(ALLOWED + 2).fill(ip), other], { IP_LIMITER, ...cognito.env });
    expect(answers).toEqual([...Array(ALLOWED).fill(ACCEPTED), REFUSED, REFUSED, ACCEPTED]);
    expect(IP_LIMITER.charged).toEqual([...Array(ALLOWED + 2).fill(`forgot-password:${ip}`), `forgot-password:${other}`]);
    // One ForgotPassword per accepted request, none for the refused ones.
    expect(await cognito.calls()).toEqual(Array(ALLOWED + 1).fill("ForgotPassword"));
  });

  it("counts an IPv6 /64 as one client, however its addresses are written", async () => {
    const IP_LIMITER = fakeLimiter(ALLOWED);
    const prefix = `2001:db8:${hex4()}:${hex4()}`;
    const same = [`${prefix}::1`, `${prefix.toUpperCase()}:0:0:0:2`, `${prefix}:ffff:ffff:ffff:ffff`];
    const another = `2001:db8:${hex4()}:${hex4()}`;
    const answers = await forgotFrom([...same, same[0], `${another}::1`], { IP_LIMITER });
    expect(answers).toEqual([...Array(ALLOWED).fill(ACCEPTED), REFUSED, ACCEPTED]);
    expect(IP_LIMITER.charged).toEqual([...Array(ALLOWED + 1).fill(`forgot-password:${slash64(prefix)}`), `forgot-password:${slash64(another)}`]);
  });

  it(`the real IP_LIMITER (wrangler.toml) allows ${PER_IP} requests a minute per client IP`, async () => {
    const ip = randomIpv4();
    const answers = await spent(base.IP_LIMITER, `forgot-password:${ip}`, PER_IP - 1, () => forgotFrom([ip, ip]));
    expect(answers).toEqual([ACCEPTED, REFUSED]);
  });
});

describe("per-account limits", () => {
  it("recover once the account's window has passed", async () => {
    // The shortest window: the wait below is the Worker's own Retry-After.
    const env = { RATE_LIMITS: "login=1/1" };
    const { email } = await registeredUser();
    await expectProblem(await login(email, WRONG, env), 401, "invalid_credentials");
    const refused = await login(email, PASSWORD, env);
    await expectProblem(refused, 429, "too_many_requests");
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBe(1);
    await sleep(retryAfter * 1000 + 50);
    expect((await login(email, PASSWORD, env)).status).toBe(200);
  });

  it("count each action on its own: a throttled login does not block a password reset", async () => {
    const env = { RATE_LIMITS: "login=1/60" };
    const { email } = await registeredUser();
    await login(email, WRONG, env);
    await expectProblem(await login(email, PASSWORD, env), 429, "too_many_requests");
    expect((await send("/auth/forgot-password", { json: { email }, env })).status).toBe(202);
  });

  it.each([
    ["register", [201, 409]],
    ["resend-code", [202, 202]],
    ["forgot-password", [202, 202]],
  ])("count every %s request, answered or not: nobody can flood an inbox", async (action, answered) => {
    const { email } = await registeredUser({ verify: false });
    const bodies: Record<string, unknown> = {
      register: { email: newEmail(), password: PASSWORD, name: "A" },
      "resend-code": { email },
      "forgot-password": { email },
    };
    const env = { RATE_LIMITS: `${action}=2/60` };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(`/auth/${action}`, { json: bodies[action], env })).status);
    expect(statuses).toEqual([...answered, 429]);
  });

  it.each(["verify", "reset-password", "challenge"])("count failed %s attempts", async (action) => {
    const email = newEmail();
    // A session the Worker sealed (an unknown account's decoy): one it did not seal counts per IP only (sealed-sessions.test.ts).
    const decoy = await send("/auth/login", { json: { email, method: "email_otp" } });
    const { session } = (await decoy.json()) as { session: string };
    const bodies: Record<string, unknown> = {
      verify: { email, code: "000000" },
      "reset-password": { email, code: "000000", newPassword: PASSWORD },
      challenge: { email, challenge: "EMAIL_OTP", session, code: "000000" },
    };
    const env = { RATE_LIMITS: `${action}=1/60` };
    const first = await send(`/auth/${action}`, { json: bodies[action], env });
    expect(first.status).toBeGreaterThanOrEqual(400);
    expect(first.status).not.toBe(429);
    await expectProblem(await send(`/auth/${action}`, { json: bodies[action], env }), 429, "too_many_requests");
  });
});

describe("per-user limits on bearer routes", () => {
  it("throttle change-password per user after failed current passwords", async () => {
    const env = { RATE_LIMITS: "change-password=2/900" };
    const { email, tokens } = await signedInUser();
    const change = (token: string, currentPassword: string) =>
      send("/auth/change-password", { token, json: { currentPassword, newPassword: "N3w-Passw0rd!" }, env });
    for (let i = 0; i < 2; i++) await expectProblem(await change(tokens.accessToken, WRONG), 400, "invalid_credentials");
    const refused = await change(tokens.accessToken, PASSWORD);
    await expectProblem(refused, 429, "too_many_requests");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    // The budget is the user's, not the token's.
    const other = (await (await login(email, PASSWORD)).json()) as { accessToken: string };
    await expectProblem(await change(other.accessToken, PASSWORD), 429, "too_many_requests");
  });

  it("throttle verify-attribute per user after failed codes", async () => {
    const env = { RATE_LIMITS: "verify-attribute=2/900" };
    const { tokens } = await signedInUser();
    const patched = await send("/auth/me", { method: "PATCH", token: tokens.accessToken, json: { attributes: { email: newEmail() } } });
    expect(patched.status).toBe(200);
    const verify = (code: string) => send("/auth/me/verify-attribute", { token: tokens.accessToken, json: { attribute: "email", code }, env });
    for (let i = 0; i < 2; i++) await expectProblem(await verify("000000"), 400, "code_mismatch");
    await expectProblem(await verify("123456"), 429, "too_many_requests");
  });

  it("throttle totp-verify per user after failed codes, and only that user", async () => {
    const env = { RATE_LIMITS: "totp-verify=2/900" };
    const setUp = async () => {
      const { tokens } = await signedInUser();
      const setup = await send("/auth/mfa/totp/setup", { method: "POST", token: tokens.accessToken });
      const { secret } = (await setup.json()) as { secret: string };
      const verify = (code: string) => send("/auth/mfa/totp/verify", { token: tokens.accessToken, json: { code }, env });
      return { verify, right: () => totp(secret) };
    };
    const user = await setUp();
    const other = await setUp();
    const wrong = async (u: typeof user) => ((await u.right()) === "000000" ? "111111" : "000000");
    for (let i = 0; i < 2; i++) await expectProblem(await user.verify(await wrong(user)), 400, "code_mismatch");
    await expectProblem(await user.verify(await user.right()), 429, "too_many_requests");
    await expectProblem(await other.verify(await wrong(other)), 400, "code_mismatch");
    expect((await other.verify(await other.right())).status).toBe(204);
  });
});
