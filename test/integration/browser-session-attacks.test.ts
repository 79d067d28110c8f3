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
import { expectProblem, injectFault, login, NEW_PASSWORD, setCookie, taggedCognito } from "../support/worker";

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

const sessionValue = (cookie: string) => String(/__Host-edge-session=([\w-]+)/.exec(cookie)?.[1]);
const refreshValue = (cookie: string) => String(/__Host-refresh=([^;]+)/.exec(cookie)?.[1]);

/** Asserts the answer refused the session: 401 unauthorized, and both our cookies expired. */
async function expectRefused(res: Response) {
  await expectProblem(res, 401, "unauthorized");
  for (const name of ["__Host-edge-session", "__Host-refresh"]) expect(setCookie(res, name)).toMatch(/Max-Age=0/);
}

describe("cookies planted by another host of the site (cookie tossing)", () => {
  it("refuses a look-alike '\\u00a0__Host-edge-session' (the attacker's session) sent before the victim's: no session swap", async () => {
    const victim = await browserUser();
    const attacker = await browserUser();
    // Not a __Host- cookie to the browser, so a sibling host may set it with Domain; a longer Path sorts it first.
    // workerd UTF-8-encodes U+00A0 in a header (and warns, printing the header), and the Worker reads U+00A0.
    const res = await fromPage("/auth/me", `\u00a0__Host-edge-session=${sessionValue(attacker.cookie)}; __Host-edge-session=${sessionValue(victim.cookie)}`);
    await expectRefused(res);
  });

  it("refuses a look-alike alone, a second exact session cookie and a case variant, on the Worker's routes and the gateway", async () => {
    const victim = await browserUser();
    const attacker = await browserUser();
    const planted = sessionValue(attacker.cookie);
    await expectRefused(await fromPage("/auth/me", "\u00a0__Host-edge-session=x"));
    await expectRefused(await fromPage("/auth/me", `__Host-edge-session=${planted}; ${victim.cookie}`));
    await expectRefused(await fromPage("/auth/me", `${victim.cookie}; __Host-edge-session=${planted}`));
    await expectRefused(await fromPage("/auth/me", `__host-edge-session=${planted}; ${victim.cookie}`));
    await expectRefused(await fromPage("/api/orders", `__HOST-EDGE-SESSION=${planted}; ${victim.cookie}`, { env: GATEWAY }));
  });

  it("refuses a second refresh cookie beside the session's own", async () => {
    const victim = await browserUser();
    const attacker = await browserUser();
    await expectRefused(await fromPage("/auth/me", `__host-refresh=${refreshValue(attacker.cookie)}; ${victim.cookie}`));
    await expectRefused(await fromPage("/auth/me", `__Host-refresh=${refreshValue(attacker.cookie)}; ${victim.cookie}`));
  });

  it("still reads our cookies with SP and HTAB around them (what RFC 6265 strips)", async () => {
    const { cookie, email } = await browserUser();
    const spaced = cookie
      .split("; ")
      .map((pair) => ` \t${pair.replace("=", " =\t")} `)
      .join(";");
    const res = await fromPage("/auth/me", spaced);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email });
  });
});

describe("change-password while the Worker refreshes the session", () => {
  /** A day less a minute on: near the stand-in's access-token expiry, so the Worker refreshes the session first. */
  const NEAR_EXPIRY_MS = (24 * 3600 - 60) * 1000;

  for (const [label, extra] of [
    ["with SESSIONS bound", { SESSIONS: env.TEST_SESSIONS }],
    ["without SESSIONS", {}],
  ] as const) {
    it(`answers the new session, ${label} (the refresh's session id does not leak into the new sign-in)`, async () => {
      const { cookie, email, password } = await browserUser(extra);
      later(NEAR_EXPIRY_MS);
      const res = await fromPage("/auth/change-password", cookie, { json: { currentPassword: password, newPassword: NEW_PASSWORD }, env: extra });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ email });
      expect(setCookie(res, "__Host-edge-session")).toMatch(/^__Host-edge-session=[\w-]+; Max-Age=[1-9]/);
    });
  }
});

describe("a renewed session cookie on a cacheable upstream answer", () => {
  it("marks the forwarded answer that carries the new session cookie private, no-store (no shared cache keeps another user's session)", async () => {
    const UPSTREAM = { fetch: async () => new Response("catalog", { headers: { "Cache-Control": "public, max-age=3600" } }) };
    const { cookie } = await browserUser();
    later(61 * 1000);
    const res = await fromPage("/api/catalog", cookie, { env: { UPSTREAM } });
    expect(res.status).toBe(200);
    expect(setCookie(res, "__Host-edge-session")).toMatch(/^__Host-edge-session=[\w-]+; Max-Age=[1-9]/);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("leaves the upstream's Cache-Control alone when no cookie of ours rides on the answer", async () => {
    const UPSTREAM = { fetch: async () => new Response("catalog", { headers: { "Cache-Control": "public, max-age=3600" } }) };
    const { cookie } = await browserUser();
    const res = await fromPage("/api/catalog", cookie, { env: { UPSTREAM } });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=3600");
  });
});
