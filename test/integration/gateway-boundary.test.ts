// What the gateway keeps to the Worker: its cookies, the caller's bearer token,
// and the refresh cookie, which upstream content on the Worker's origin must
// not be able to use.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { testIssuer } from "../support/tokens";
import { expectProblem, ORIGIN, send, signedInUser } from "../support/worker";

interface Echo {
  url: string;
  headers: Record<string, string>;
}

const OWN = "https://edge.example.com";
const AUTH = "https://auth.example.com";

/** An upstream that answers every request with these Set-Cookie headers. */
function cookieSetter(cookies: string[]) {
  return {
    fetch: async () => {
      const headers = new Headers({ "X-Upstream": "cookies" });
      for (const cookie of cookies) headers.append("Set-Cookie", cookie);
      return new Response("ok", { headers });
    },
  };
}

describe("gateway answers", () => {
  it("never pass on a Set-Cookie that names one of the Worker's cookies, in any case or spacing", async () => {
    const issuer = await testIssuer();
    const kept = ["theme=dark; Path=/", "__Host-session=app; Path=/; Secure; HttpOnly", "refresh=x; Path=/"];
    const upstream = cookieSetter([
      "__Host-refresh=ce2.attacker-session; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Strict",
      kept[0],
      "__Host-device=fixed-by-upstream-0000000; Path=/; Secure; HttpOnly",
      "__HOST-REFRESH=x; Path=/; Secure",
      kept[1],
      " __host-Device =y; Path=/; Secure",
      "__Host-oauth-state=forged; Path=/; Secure; HttpOnly; SameSite=Lax",
      "__Host-edge-session=planted-by-upstream; Path=/; Secure; HttpOnly; SameSite=Strict",
      "__Host-refresh",
      "a, __Host-refresh=z; Path=/; Secure",
      kept[2],
    ]);
    for (const path of ["/api/x", "/public/x"]) {
      const res = await send(path, { token: await issuer.sign(), env: { ...issuer.env, UPSTREAM: upstream, PUBLIC_PATHS: "/public" } });
      expect(res.headers.get("X-Upstream")).toBe("cookies");
      expect(res.headers.getSetCookie()).toEqual(kept);
    }
  });
});

describe("gateway Authorization", () => {
  it("is not forwarded by default: the X-Auth-* headers carry the identity", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign({ sub: "sub-7" });
    for (const path of ["/api/x", "/public/x"]) {
      const res = await send(path, { token, env: { ...issuer.env, PUBLIC_PATHS: "/public" } });
      const echo = (await res.json()) as Echo;
      expect(echo.headers["x-auth-sub"]).toBe("sub-7");
      expect(echo.headers.authorization).toBeUndefined();
    }
  });

  it("is forwarded, once verified, with GATEWAY_FORWARD_AUTHORIZATION=on", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign({ sub: "sub-8" });
    const on = { ...issuer.env, PUBLIC_PATHS: "/public", GATEWAY_FORWARD_AUTHORIZATION: "on" };
    for (const path of ["/api/x", "/public/x"]) {
      const echo = (await (await send(path, { token, env: on })).json()) as Echo;
      expect(echo.headers).toMatchObject({ authorization: `Bearer ${token}`, "x-auth-sub": "sub-8" });
    }
    const invalid = (await (await send("/public/x", { token: "not-a-token", env: on })).json()) as Echo;
    expect(invalid.headers.authorization).toBeUndefined();
  });
});

describe("the refresh cookie beside the gateway", () => {
  const withUpstream = { UPSTREAM: env.TEST_UPSTREAM };

  it("is refused from the Worker's own origin when UPSTREAM is bound, for refresh and logout", async () => {
    const { tokens } = await signedInUser();
    const cookie = `__Host-refresh=${tokens.refreshToken}`;
    // Upstream script on the Worker's origin: fetch('/auth/refresh', { method: 'POST' }).
    const refresh = await send("/auth/refresh", { method: "POST", headers: { Cookie: cookie, Origin: OWN }, env: withUpstream });
    await expectProblem(refresh, 403, "forbidden");
    const logout = await send("/auth/logout", { method: "POST", token: tokens.accessToken, headers: { Cookie: cookie, Origin: OWN }, env: withUpstream });
    await expectProblem(logout, 403, "forbidden");
    // Listing the origin the gateway serves does not open it either.
    const listed = await send("/auth/refresh", { method: "POST", headers: { Cookie: cookie, Origin: OWN }, env: { ...withUpstream, CORS_ORIGINS: `${ORIGIN},${OWN}` } });
    await expectProblem(listed, 403, "forbidden");
    const allowed = await send("/auth/refresh", { method: "POST", headers: { Cookie: cookie, Origin: ORIGIN }, env: withUpstream });
    expect(allowed.status).toBe(200);
  });

  it("is refused from the Worker's own origin when GATEWAY_RULES forward elsewhere, without UPSTREAM", async () => {
    const { tokens } = await signedInUser();
    const rules = { GATEWAY_RULES: "/app public -> TEST_UPSTREAM_B", TEST_UPSTREAM_B: env.TEST_UPSTREAM_B };
    const refresh = await send("/auth/refresh", { method: "POST", headers: { Cookie: `__Host-refresh=${tokens.refreshToken}`, Origin: OWN }, env: rules });
    await expectProblem(refresh, 403, "forbidden");
  });

  it("is still accepted from the Worker's own origin without UPSTREAM", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/refresh", { method: "POST", headers: { Cookie: `__Host-refresh=${tokens.refreshToken}`, Origin: OWN } });
    expect(res.status).toBe(200);
  });
});

describe("AUTH_HOST", () => {
  const split = { UPSTREAM: env.TEST_UPSTREAM, AUTH_HOST: "auth.example.com" };

  it("answers /auth and /admin only on that host, 404 elsewhere, never forwarded", async () => {
    const { email, password, tokens } = await signedInUser();
    for (const path of ["/auth/login", "/auth/me", "/auth", "/admin/users", `${OWN}/auth/refresh`]) {
      const res = await send(path, { method: "POST", token: tokens.accessToken, json: { email, password }, env: split });
      expect(res.headers.get("X-Upstream")).toBeNull();
      await expectProblem(res, 404, "not_found");
    }
    const login = await send(`${AUTH}/auth/login`, { json: { email, password }, env: split });
    expect(login.status).toBe(200);
    const me = await send(`${AUTH}/auth/me`, { token: tokens.accessToken, env: split });
    expect(me.status).toBe(200);
  });

  it("forwards nothing on that host, and the rest on every other host", async () => {
    const { tokens } = await signedInUser();
    for (const path of ["/api/x", "/", "/authority"]) {
      const res = await send(`${AUTH}${path}`, { token: tokens.accessToken, env: split });
      expect(res.headers.get("X-Upstream")).toBeNull();
      await expectProblem(res, 404, "not_found");
      const forwarded = await send(path, { token: tokens.accessToken, env: split });
      expect(forwarded.headers.get("X-Upstream")).toBe("echo");
    }
    for (const base of [AUTH, OWN]) expect((await send(`${base}/health`, { env: split })).status).toBe(200);
  });

  it("with UPSTREAM bound, takes the refresh cookie only from CORS_ORIGINS, which may list the auth host", async () => {
    const { tokens } = await signedInUser();
    const cookie = `__Host-refresh=${tokens.refreshToken}`;
    const unlisted = await send(`${AUTH}/auth/refresh`, { method: "POST", headers: { Cookie: cookie, Origin: AUTH }, env: split });
    await expectProblem(unlisted, 403, "forbidden");
    const listed = { ...split, CORS_ORIGINS: `${ORIGIN},${AUTH}` };
    expect((await send(`${AUTH}/auth/refresh`, { method: "POST", headers: { Cookie: cookie, Origin: AUTH }, env: listed })).status).toBe(200);
    expect((await send(`${AUTH}/auth/refresh`, { method: "POST", headers: { Cookie: cookie, Origin: ORIGIN }, env: split })).status).toBe(200);
  });

  it("refuses a malformed AUTH_HOST as a configuration error", async () => {
    for (const AUTH_HOST of ["https://auth.example.com", "auth.example.com/x", "auth example"]) {
      await expectProblem(await send("/health", { env: { AUTH_HOST } }), 500, "internal_error");
    }
  });
});
