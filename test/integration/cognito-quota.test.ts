// The routes that reach Cognito with no secret to guess are limited too: AWS's
// quotas (UserAuthentication, UserRead, ...) are shared by every pool of the
// account in the Region, so one host flooding refresh, the OAuth callback or a
// bearer route would otherwise throttle every sign-in of every pool. Each flood
// is written as the attacker's requests against a limiter of the test's own
// (test/support/limiter.ts) that shows which key each request was charged to;
// throttled requests must reach Cognito not at all, which the stand-in's calls
// under the test's own tag show. One test per binding drives the real one.
import { env as base } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { fakeLimiter, slash64, spent } from "../support/limiter";
import { randomIpv4 } from "../support/minute";
import { claimsOf, ORIGIN, refresh, send, signedInUser, taggedCognito } from "../support/worker";

/** wrangler.toml: REFRESH_LIMITER (per client IP) and USER_LIMITER (per user). */
const REFRESH_PER_IP = 120;
const CALLS_PER_USER = 60;
/** What the tests' own limiters allow per key. */
const ALLOWED = 3;

const THROTTLED = { status: 429, code: "too_many_requests", retryAfter: "60" };
const allowAll = () => fakeLimiter(Number.POSITIVE_INFINITY);

async function answerOf(res: Response) {
  const body = res.headers.get("Content-Type")?.includes("json") ? ((await res.json()) as { code?: string }) : {};
  return { status: res.status, code: body.code, retryAfter: res.headers.get("Retry-After") };
}

describe("Cognito's quota, shared by the account's pools", () => {
  it("a refresh flood from one IP is throttled before Cognito is called; another IP is not", async () => {
    const { tokens } = await signedInUser();
    const cognito = taggedCognito();
    const REFRESH_LIMITER = fakeLimiter(ALLOWED);
    // The per-IP limit alone: the per-user one (sealed-refresh.test.ts) is allowed everything here.
    const env = { REFRESH_LIMITER, USER_LIMITER: allowAll(), ...cognito.env };
    const [ip, other] = [randomIpv4(), randomIpv4()];
    const answers = [];
    for (let i = 0; i < ALLOWED; i++) answers.push(await answerOf(await refresh(tokens.refreshToken, { env, headers: { "CF-Connecting-IP": ip } })));
    const calledWhileAllowed = (await cognito.calls()).length;
    for (let i = 0; i < 2; i++) answers.push(await answerOf(await refresh(tokens.refreshToken, { env, headers: { "CF-Connecting-IP": ip } })));
    const calledWhenThrottled = (await cognito.calls()).length;
    answers.push(await answerOf(await refresh(tokens.refreshToken, { env, headers: { "CF-Connecting-IP": other } })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429, 200]);
    expect(answers.slice(ALLOWED, -1)).toEqual([THROTTLED, THROTTLED]);
    // One call per answered refresh, none for the throttled ones.
    expect(calledWhileAllowed).toBe(ALLOWED);
    expect(calledWhenThrottled).toBe(ALLOWED);
    expect(await cognito.calls()).toHaveLength(ALLOWED + 1);
    expect(REFRESH_LIMITER.charged).toEqual([...Array(5).fill(`refresh:${ip}`), `refresh:${other}`]);
  });

  it("counts an IPv6 client's refreshes per /64, however the addresses are written", async () => {
    const prefix = `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;
    const spellings = [`${prefix}::1`, `${prefix.toUpperCase()}:0:0:0:2`, `${prefix}:ffff:ffff:ffff:ffff`];
    const REFRESH_LIMITER = fakeLimiter(ALLOWED);
    const answers = [];
    // A made-up token: refused (401) without counting against anyone but this client IP.
    for (let i = 0; i <= ALLOWED; i++) {
      answers.push(await answerOf(await refresh("ce1.YQ.x", { env: { REFRESH_LIMITER }, headers: { "CF-Connecting-IP": spellings[i % 3] } })));
    }
    expect(answers.slice(0, ALLOWED).map((a) => a.status)).toEqual(Array(ALLOWED).fill(401));
    expect(answers.at(-1)).toEqual(THROTTLED);
    expect(REFRESH_LIMITER.charged).toEqual(Array(ALLOWED + 1).fill(`refresh:${slash64(prefix)}`));
  });

  it("an OAuth callback flood from one IP is throttled before the token endpoint is called", async () => {
    const oauth = inject("oauth");
    const IP_LIMITER = fakeLimiter(ALLOWED);
    const env = { COGNITO_DOMAIN: oauth.domain, OAUTH_REDIRECT_URI: oauth.redirectUri, OAUTH_RETURN_ORIGINS: ORIGIN, IP_LIMITER };
    // The attacker starts one sign-in for a state cookie of their own, then replays it with made-up codes.
    const authorize = await send("/auth/oauth/authorize", { env });
    const state = new URL(String(authorize.headers.get("Location"))).searchParams.get("state");
    const cookie = (authorize.headers.getSetCookie()[0] ?? "").split(";")[0];
    const [ip, other] = [randomIpv4(), randomIpv4()];
    const callback = async (from: string) => {
      const path = `/auth/oauth/callback?code=${crypto.randomUUID()}&state=${state}`;
      return answerOf(await send(path, { env, headers: { Cookie: cookie, "CF-Connecting-IP": from } }));
    };
    const answers = [];
    for (let i = 0; i <= ALLOWED; i++) answers.push(await callback(ip));
    answers.push(await callback(other));
    // code_mismatch is the token endpoint's invalid_grant: each of these was a call to it.
    expect(answers.slice(0, ALLOWED).map((a) => a.code)).toEqual(Array(ALLOWED).fill("code_mismatch"));
    expect(answers[ALLOWED]).toEqual(THROTTLED);
    expect(answers.at(-1)?.code).toBe("code_mismatch");
    expect(IP_LIMITER.charged.filter((key) => key.startsWith("oauth-callback:"))).toEqual([
      ...Array(ALLOWED + 1).fill(`oauth-callback:${ip}`),
      `oauth-callback:${other}`,
    ]);
  });

  it.each([
    ["GET", "/auth/me"],
    ["GET", "/auth/me/factors"],
    ["GET", "/auth/passkeys"],
  ])("a flood of %s %s with one valid token is throttled per user, from any IP, before Cognito is called", async (method, path) => {
    const [{ tokens }, other] = await Promise.all([signedInUser(), signedInUser()]);
    const cognito = taggedCognito();
    const USER_LIMITER = fakeLimiter(ALLOWED);
    const env = { USER_LIMITER, ...cognito.env };
    const answers = [];
    // Every request from another client IP (send's default): the limit follows the token's user.
    for (let i = 0; i < ALLOWED; i++) answers.push(await answerOf(await send(path, { method, token: tokens.accessToken, env })));
    const calledWhileAllowed = (await cognito.calls()).length;
    for (let i = 0; i < 3; i++) answers.push(await answerOf(await send(path, { method, token: tokens.accessToken, env })));
    expect(answers.slice(0, ALLOWED).map((a) => a.status)).toEqual(Array(ALLOWED).fill(200));
    expect(answers.slice(ALLOWED)).toEqual(Array(3).fill(THROTTLED));
    expect(calledWhileAllowed).toBeGreaterThanOrEqual(ALLOWED);
    expect(await cognito.calls()).toHaveLength(calledWhileAllowed);
    expect((await send(path, { method, token: other.tokens.accessToken, env })).status).toBe(200);
    const [sub, otherSub] = [claimsOf(tokens.accessToken).sub, claimsOf(other.tokens.accessToken).sub];
    expect(USER_LIMITER.charged).toEqual([...Array(ALLOWED + 3).fill(`sub:${sub}`), `sub:${otherSub}`]);
  });
});

describe("the real bindings (wrangler.toml), spent by direct calls", () => {
  it(`REFRESH_LIMITER allows ${REFRESH_PER_IP} refreshes a minute per client IP, then 429 before Cognito`, async () => {
    const { tokens } = await signedInUser();
    const ip = randomIpv4();
    const answers = await spent(base.REFRESH_LIMITER, `refresh:${ip}`, REFRESH_PER_IP - 1, async () => {
      const cognito = taggedCognito();
      const env = { USER_LIMITER: allowAll(), ...cognito.env };
      const last = await answerOf(await refresh(tokens.refreshToken, { env, headers: { "CF-Connecting-IP": ip } }));
      const over = await answerOf(await refresh(tokens.refreshToken, { env, headers: { "CF-Connecting-IP": ip } }));
      return { last, over, called: (await cognito.calls()).length };
    });
    expect(answers.last.status).toBe(200);
    expect(answers.over).toEqual(THROTTLED);
    expect(answers.called).toBe(1);
  });

  it(`USER_LIMITER allows ${CALLS_PER_USER} calls a minute per user, then 429 before Cognito`, async () => {
    const { tokens } = await signedInUser();
    const sub = String(claimsOf(tokens.accessToken).sub);
    const answers = await spent(base.USER_LIMITER, `sub:${sub}`, CALLS_PER_USER - 1, async () => {
      const cognito = taggedCognito();
      const last = await answerOf(await send("/auth/me", { token: tokens.accessToken, env: cognito.env }));
      const called = (await cognito.calls()).length;
      const over = await answerOf(await send("/auth/me", { token: tokens.accessToken, env: cognito.env }));
      return { last, over, called, calledAfter: (await cognito.calls()).length };
    });
    expect(answers.last.status).toBe(200);
    expect(answers.over).toEqual(THROTTLED);
    expect(answers.called).toBeGreaterThanOrEqual(1);
    expect(answers.calledAfter).toBe(answers.called);
  });
});
