// The routes that reach Cognito with no secret to guess are limited too: AWS's
// quotas (UserAuthentication, UserRead, ...) are shared by every pool of the
// account in the Region, so one host flooding refresh, the OAuth callback or a
// bearer route would otherwise throttle every sign-in of every pool. Each flood
// is written as the attacker's requests; throttled requests must reach Cognito
// not at all, which the strict layer's per-user call log shows.
import { inject, describe, expect, it } from "vitest";
import { randomIpv4, withinOneMinute } from "../support/minute";
import { claimsOf, ORIGIN, refresh, send, signedInUser, strictControl } from "../support/worker";

/** wrangler.toml: REFRESH_LIMITER (per client IP) and USER_LIMITER (per user), IP_LIMITER (per client IP and action). */
const REFRESH_PER_IP = 120;
const CALLS_PER_USER = 60;
const CALLBACKS_PER_IP = 30;

const THROTTLED = { status: 429, code: "too_many_requests", retryAfter: "60" };

/** Every Cognito call made about `username` so far, all operations together. */
async function cognitoCalls(username: string): Promise<number> {
  const res = await strictControl(`/__calls?user=${encodeURIComponent(username)}`);
  const byOp = (await res.json()) as Record<string, number>;
  return Object.values(byOp).reduce((sum, n) => sum + n, 0);
}

async function answerOf(res: Response) {
  const body = res.headers.get("Content-Type")?.includes("json") ? ((await res.json()) as { code?: string }) : {};
  return { status: res.status, code: body.code, retryAfter: res.headers.get("Retry-After") };
}

describe("Cognito's quota, shared by the account's pools", () => {
  it("a refresh flood from one IP is throttled before Cognito is called; another IP is not", { timeout: 150_000 }, async () => {
    const { tokens } = await signedInUser();
    const username = String(claimsOf(tokens.accessToken).username);
    const { answers, called } = await withinOneMinute(async () => {
      const ip = randomIpv4();
      const before = await cognitoCalls(username);
      const answers = [];
      // The per-IP limit alone: the per-user one (sealed-refresh.test.ts) would stop one token's flood sooner.
      const env = { USER_LIMITER: { limit: async () => ({ success: true }) } };
      for (let i = 0; i < REFRESH_PER_IP + 5; i++) answers.push(await answerOf(await refresh(tokens.refreshToken, { env, headers: { "CF-Connecting-IP": ip } })));
      answers.push(await answerOf(await refresh(tokens.refreshToken, { env, headers: { "CF-Connecting-IP": randomIpv4() } })));
      return { answers, called: (await cognitoCalls(username)) - before };
    }, 40_000);
    expect(answers.slice(0, REFRESH_PER_IP).map((a) => a.status)).toEqual(Array(REFRESH_PER_IP).fill(200));
    expect(answers.slice(REFRESH_PER_IP, -1)).toEqual(Array(5).fill(THROTTLED));
    expect(answers.at(-1)?.status).toBe(200);
    // One call per answered refresh, none for the throttled ones.
    expect(called).toBe(REFRESH_PER_IP + 1);
  });

  it("counts an IPv6 client's refreshes per /64, however the addresses are written", { timeout: 150_000 }, async () => {
    const answers = await withinOneMinute(async () => {
      const prefix = `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;
      const spellings = [`${prefix}::1`, `${prefix.toUpperCase()}:0:0:0:2`, `${prefix}:ffff:ffff:ffff:ffff`];
      const out = [];
      // A made-up token: refused (401) without counting against anyone but this client IP.
      for (let i = 0; i <= REFRESH_PER_IP; i++) {
        out.push(await answerOf(await refresh("ce1.YQ.x", { headers: { "CF-Connecting-IP": spellings[i % 3] } })));
      }
      return out;
    });
    expect(answers.slice(0, REFRESH_PER_IP).map((a) => a.status)).toEqual(Array(REFRESH_PER_IP).fill(401));
    expect(answers.at(-1)).toEqual(THROTTLED);
  });

  it("an OAuth callback flood from one IP is throttled before the token endpoint is called", { timeout: 150_000 }, async () => {
    const oauth = inject("oauth");
    const env = {
      COGNITO_DOMAIN: oauth.domain,
      OAUTH_REDIRECT_URI: oauth.redirectUri,
      OAUTH_RETURN_ORIGINS: ORIGIN,
    };
    // The attacker starts one sign-in for a state cookie of their own, then replays it with made-up codes.
    const authorize = await send("/auth/oauth/authorize", { env });
    const state = new URL(String(authorize.headers.get("Location"))).searchParams.get("state");
    const cookie = (authorize.headers.getSetCookie()[0] ?? "").split(";")[0];
    const answers = await withinOneMinute(async () => {
      const ip = randomIpv4();
      const out = [];
      for (let i = 0; i <= CALLBACKS_PER_IP; i++) {
        const path = `/auth/oauth/callback?code=${crypto.randomUUID()}&state=${state}`;
        out.push(await answerOf(await send(path, { env, headers: { Cookie: cookie, "CF-Connecting-IP": ip } })));
      }
      out.push(await answerOf(await send(`/auth/oauth/callback?code=x&state=${state}`, { env, headers: { Cookie: cookie } })));
      return out;
    });
    // code_mismatch is the token endpoint's invalid_grant: each of these was a call to it.
    expect(answers.slice(0, CALLBACKS_PER_IP).map((a) => a.code)).toEqual(Array(CALLBACKS_PER_IP).fill("code_mismatch"));
    expect(answers[CALLBACKS_PER_IP]).toEqual(THROTTLED);
    expect(answers.at(-1)?.code).toBe("code_mismatch");
  });

  it.each([
    ["GET", "/auth/me"],
    ["GET", "/auth/me/factors"],
    ["GET", "/auth/passkeys"],
  ])("a flood of %s %s with one valid token is throttled per user, from any IP, before Cognito is called", { timeout: 150_000 }, async (method, path) => {
    const [{ tokens }, other] = await Promise.all([signedInUser(), signedInUser()]);
    const username = String(claimsOf(tokens.accessToken).username);
    const { answers, called, otherUser } = await withinOneMinute(async () => {
      const before = await cognitoCalls(username);
      const answers = [];
      // Every request from another client IP (send's default): the limit follows the token's user.
      for (let i = 0; i < CALLS_PER_USER + 3; i++) answers.push(await answerOf(await send(path, { method, token: tokens.accessToken })));
      const called = (await cognitoCalls(username)) - before;
      return { answers, called, otherUser: (await send(path, { method, token: other.tokens.accessToken })).status };
    }, 40_000);
    expect(answers.slice(0, CALLS_PER_USER).map((a) => a.status)).toEqual(Array(CALLS_PER_USER).fill(200));
    expect(answers.slice(CALLS_PER_USER)).toEqual(Array(3).fill(THROTTLED));
    expect(called).toBe(CALLS_PER_USER);
    expect(otherUser).toBe(200);
  });
});
