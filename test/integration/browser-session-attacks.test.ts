// Attacks on SESSION_MODE=browser's sessions (review of issue 21): replayed
// cookies that would spend Cognito's quota, cookies planted by a sibling
// host, a refresh that leaks into the next sign-in, a renewed cookie on a
// cacheable answer.
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { browserUser, fromPage, jar } from "../support/browser";
import { fakeLimiter } from "../support/limiter";
import { randomIpv4 } from "../support/minute";
import { injectFault, login, taggedCognito } from "../support/worker";

const GATEWAY = { UPSTREAM: env.TEST_UPSTREAM };

afterEach(() => {
  vi.useRealTimers();
});

/** Moves the clock `ms` on (Date only: the Worker reads the time from it). */
function later(ms: number): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + ms);
}

describe("replayed session cookies and Cognito's quota", () => {
  it("asks Cognito about a refused session once, and throttles a flood of cookies before Cognito (429)", async () => {
    // The attacker mints session cookies of their own account: successful sign-ins are never throttled.
    const first = await browserUser();
    const cookies = [first.cookie];
    for (let i = 0; i < 5; i++) {
      const res = await fromPage("/auth/login", "", { json: { email: first.email, password: first.password } });
      expect(res.status).toBe(200);
      cookies.push(jar(res));
    }
    // Signed out everywhere: every one of these sessions is over at Cognito.
    expect((await fromPage("/auth/logout", cookies[0], { json: { global: true } })).status).toBe(204);
    const tagged = taggedCognito();
    const limiters = { IP_LIMITER: fakeLimiter(2), REFRESH_LIMITER: fakeLimiter(2), USER_LIMITER: fakeLimiter(2) };
    const envOf = { ...GATEWAY, ...tagged.env, ...limiters };
    const ip = randomIpv4();
    const replay = async () => {
      const statuses: number[] = [];
      for (const cookie of cookies.slice(1)) {
        const res = await fromPage("/api/orders", cookie, { env: envOf, headers: { "CF-Connecting-IP": ip } });
        statuses.push(res.status);
        if (res.status === 429) expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
      }
      return statuses;
    };
    later(10 * 60 * 1000);
    const first5 = await replay();
    const round1 = (await tagged.calls()).length;
    // 61 s later, past any hold of a flight: the same cookies again, same isolate, same address.
    later(61 * 1000);
    const second5 = await replay();
    const calls = await tagged.calls();
    const seen = JSON.stringify({ first5, second5, round1, calls, charged: limiters.USER_LIMITER.charged });
    // The first two checks get Cognito's refusal; the rest are throttled before Cognito.
    expect(first5, seen).toEqual([401, 401, 429, 429, 429]);
    expect(second5, seen).toEqual([401, 401, 429, 429, 429]);
    expect(round1, seen).toBe(2);
    expect(calls.length - round1, seen).toBe(0);
    expect(new Set(limiters.USER_LIMITER.charged), seen).toEqual(new Set([`sub:${first.body.sub}`]));
  });

  it("asks Cognito at most once a minute about a session, though an old copy of its cookie keeps coming", async () => {
    const { cookie } = await browserUser();
    const tagged = taggedCognito();
    later(61 * 1000);
    const checked = await fromPage("/auth/me", cookie, { env: tagged.env });
    expect(checked.status).toBe(200);
    expect(checked.headers.getSetCookie().some((c) => c.startsWith("__Host-edge-session="))).toBe(true);
    const after = (await tagged.calls()).filter((op) => op === "GetUser").length;
    // 45 s on, the copy from before the check: the check's outcome still answers it.
    later(45 * 1000);
    const res = await fromPage("/api/orders", cookie, { env: { ...GATEWAY, ...tagged.env } });
    expect(res.status).toBe(200);
    expect((await tagged.calls()).filter((op) => op === "GetUser").length).toBe(after);
  });

  it("serves the session on its own token while Cognito throttles the check (no new cookie: unconfirmed)", async () => {
    const user = await browserUser();
    const tokens = await login(user.email, user.password);
    const username = String(decodeJwt(tokens.accessToken).username);
    later(61 * 1000);
    // Throttled twice: the check's GetUser and its one retry.
    await injectFault({ op: "GetUser", username, kind: "throttle", times: 2 });
    const res = await fromPage("/api/orders", user.cookie, { env: GATEWAY });
    expect(res.status).toBe(200);
    // Unconfirmed: no new cookie says it was checked.
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
