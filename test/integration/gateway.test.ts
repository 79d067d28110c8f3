import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testIssuer } from "../support/tokens";
import { ORIGIN, expectProblem, send, signedInUser } from "../support/worker";

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyLength: number;
  bodySha256: string;
}

const SPOOFED = {
  "X-Auth-Sub": "admin",
  "X-Auth-Groups": "admin",
  "x-auth-username": "root",
  "X-Auth-Anything": "x",
};

describe("gateway", () => {
  it("forwards method, path, query and headers with the verified identity", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign({ sub: "sub-1", username: "user-1", "cognito:groups": ["a", "b"], scope: "s1 s2" });
    const res = await send("/api/orders/7?expand=items&x=1", {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}`, "X-Custom": "kept", ...SPOOFED },
      env: issuer.env,
    });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo.method).toBe("DELETE");
    expect(new URL(echo.url).pathname + new URL(echo.url).search).toBe("/api/orders/7?expand=items&x=1");
    expect(echo.headers).toMatchObject({
      "x-auth-sub": "sub-1",
      "x-auth-username": "user-1",
      "x-auth-groups": "a,b",
      "x-auth-scope": "s1 s2",
      "x-auth-client-id": env.COGNITO_CLIENT_ID,
      "x-custom": "kept",
    });
    expect(echo.headers["x-auth-anything"]).toBeUndefined();
    expect(res.headers.get("X-Request-Id")).toBe(echo.headers["x-request-id"]);
  });

  it("streams the request body through unchanged", async () => {
    const issuer = await testIssuer();
    const body = new Uint8Array(1024 * 1024).map((_, i) => (i * 31) % 251);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < body.length; i += 65536) controller.enqueue(body.slice(i, i + 65536));
        controller.close();
      },
    });
    const res = await send("/api/upload", {
      method: "PUT",
      body: stream,
      headers: { Authorization: `Bearer ${await issuer.sign()}`, "Content-Type": "application/octet-stream" },
      env: issuer.env,
    });
    const echo = (await res.json()) as Echo;
    const digest = await crypto.subtle.digest("SHA-256", body);
    expect(echo.bodyLength).toBe(body.length);
    expect(echo.bodySha256).toBe([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""));
  });

  it("removes the refresh and device cookies and keeps the others", async () => {
    const issuer = await testIssuer();
    const cookie = `theme=dark; __Host-refresh=ce1.secret; lang=en; __Host-device=${"d".repeat(22)}`;
    const res = await send("/api/x", {
      headers: { Authorization: `Bearer ${await issuer.sign()}`, Cookie: cookie },
      env: issuer.env,
    });
    const echo = (await res.json()) as Echo;
    expect(echo.headers.cookie).toBe("theme=dark; lang=en");
  });

  it("removes every cookie of the Worker, whatever the separators, and keeps the others", async () => {
    const issuer = await testIssuer();
    const auth = { Authorization: `Bearer ${await issuer.sign()}` };
    const cases = [
      ["theme=dark;__Host-refresh=a, __Host-device=b,lang=en; __Host-oauth-state=c;list=1,2", "theme=dark; lang=en; list=1,2"],
      ["__Host-refresh=a,__Host-oauth-state=b", undefined],
      ["a=1, __host-DEVICE=b; __Host-refresh =c", "a=1"],
    ];
    for (const [cookie, kept] of cases) {
      const res = await send("/api/x", { headers: { ...auth, Cookie: String(cookie) }, env: issuer.env });
      expect(((await res.json()) as Echo).headers.cookie).toBe(kept);
    }
  });

  it("removes identity headers in any spelling, hop-by-hop headers and client-supplied forwarding headers", async () => {
    const issuer = await testIssuer();
    const res = await send("/api/x", {
      headers: {
        Authorization: `Bearer ${await issuer.sign({ sub: "sub-9" })}`,
        X_Auth_Sub: "admin",
        "x-AUTH_groups": "admin",
        "X_auth-Username": "root",
        Connection: "keep-alive, X-Hop-Secret",
        "X-Hop-Secret": "s",
        "Keep-Alive": "timeout=5",
        "Proxy-Authorization": "Basic cm9vdDpyb290",
        "Proxy-Connection": "keep-alive",
        TE: "trailers",
        Trailer: "X-Checksum",
        Upgrade: "websocket",
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Host": "internal.example",
        "X-Forwarded-Proto": "http",
        Forwarded: "for=203.0.113.9",
        "X-Custom": "kept",
      },
      env: issuer.env,
    });
    const { headers } = (await res.json()) as Echo;
    expect(Object.keys(headers).filter((h) => /^x[-_]auth[-_]/.test(h)).sort()).toEqual([
      "x-auth-assertion",
      "x-auth-client-id",
      "x-auth-groups",
      "x-auth-kind",
      "x-auth-scope",
      "x-auth-sub",
      "x-auth-username",
    ]);
    expect(headers).toMatchObject({ "x-auth-kind": "user", "x-auth-sub": "sub-9", "x-auth-groups": "", "x-auth-username": "user-1", "x-custom": "kept" });
    for (const name of ["connection", "x-hop-secret", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "upgrade", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "forwarded"]) {
      expect(headers[name], name).toBeUndefined();
    }
  });

  it("on PUBLIC_PATHS, forwards the identity of a valid token, and of an invalid one nothing", async () => {
    const issuer = await testIssuer();
    const env = { ...issuer.env, PUBLIC_PATHS: "/public" };
    const valid = `Bearer ${await issuer.sign({ sub: "sub-public" })}`;
    const ok = (await (await send("/public/x", { headers: { Authorization: valid }, env })).json()) as Echo;
    expect(ok.headers).toMatchObject({ "x-auth-sub": "sub-public" });
    expect(ok.headers.authorization).toBeUndefined();
    const other = await testIssuer();
    for (const authorization of [
      "Bearer not-a-token",
      `Bearer ${await issuer.sign({ exp: Math.floor(Date.now() / 1000) - 600 })}`,
      `Bearer ${await other.sign()}`,
      "Basic dXNlcjpwYXNz",
    ]) {
      const res = await send("/public/x", { headers: { Authorization: authorization, "X-Auth-Sub": "admin" }, env });
      expect(res.status).toBe(200);
      const echo = (await res.json()) as Echo;
      expect(echo.headers.authorization).toBeUndefined();
      expect(Object.keys(echo.headers).filter((h) => h.startsWith("x-auth-"))).toEqual([]);
    }
  });

  it("sets the secure headers on its own answers on gateway paths, not on the upstream's", async () => {
    const issuer = await testIssuer();
    const broken = { fetch: () => Promise.reject(new Error("connection refused")) };
    const own = [
      await send("/api/x", { env: issuer.env }),
      await send("/api/x", { token: await issuer.sign(), env: { ...issuer.env, UPSTREAM: broken } }),
    ];
    expect(own.map((r) => r.status)).toEqual([401, 503]);
    for (const res of own) {
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d+/);
    }
    const forwarded = await send("/api/x", { token: await issuer.sign(), env: issuer.env });
    expect(forwarded.headers.get("X-Upstream")).toBe("echo");
    expect(forwarded.headers.get("X-Content-Type-Options")).toBeNull();
    expect(forwarded.headers.get("Strict-Transport-Security")).toBeNull();
  });

  it("forwards PUBLIC_PATHS without a token, still stripping spoofed identity and the refresh cookie", async () => {
    const issuer = await testIssuer();
    const res = await send("/public/catalog?q=1", {
      headers: { ...SPOOFED, Cookie: "__Host-refresh=ce1.secret" },
      env: { ...issuer.env, PUBLIC_PATHS: "/public,/status" },
    });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(Object.keys(echo.headers).filter((h) => h.startsWith("x-auth-"))).toEqual([]);
    expect(echo.headers.cookie).toBeUndefined();
    const lookalike = await send("/publicity", { env: { ...issuer.env, PUBLIC_PATHS: "/public" } });
    await expectProblem(lookalike, 401, "unauthorized");
  });

  it("refuses a request without a token on a protected path", async () => {
    const issuer = await testIssuer();
    const res = await send("/api/orders", { headers: SPOOFED, env: issuer.env });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge"');
  });

  it("passes upstream errors through unchanged", async () => {
    const issuer = await testIssuer();
    const res = await send("/status/502", { headers: { Authorization: `Bearer ${await issuer.sign()}` }, env: issuer.env });
    expect(res.status).toBe(502);
    expect(await res.text()).toBe("bad gateway from upstream");
  });

  it("answers 503 upstream_unavailable when the upstream cannot be reached", async () => {
    const issuer = await testIssuer();
    const broken = { fetch: () => Promise.reject(new Error("connection refused")) };
    const res = await send("/api/x", { headers: { Authorization: `Bearer ${await issuer.sign()}` }, env: { ...issuer.env, UPSTREAM: broken } });
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("never forwards the Worker's own paths", async () => {
    const issuer = await testIssuer();
    const auth = { Authorization: `Bearer ${await issuer.sign()}` };
    await expectProblem(await send("/auth/unknown", { headers: auth, env: issuer.env }), 404, "not_found");
    const admin = await send("/admin/x", { headers: auth, env: issuer.env });
    expect(admin.headers.get("X-Upstream")).toBeNull();
    await expectProblem(admin, 403, "forbidden");
    const health = await send("/health", { headers: auth, env: issuer.env });
    expect(health.headers.get("X-Upstream")).toBeNull();
  });

  it("answers 404 for anything under the Worker's own prefixes, the static assets' included, and forwards look-alikes", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign();
    for (const [method, path] of [
      ["GET", "/auth"],
      ["GET", "/auth/"],
      ["GET", "/auth/me/unknown"],
      ["POST", "/health"],
      ["GET", "/health/x"],
      ["GET", "/openapi.json"],
      ["GET", "/openapi.json/x"],
      ["POST", "/docs"],
      ["GET", "/docs/missing.js"],
    ]) {
      const res = await send(path, { method, token, env: issuer.env });
      expect(res.headers.get("X-Upstream")).toBeNull();
      await expectProblem(res, 404, "not_found");
    }
    for (const path of ["/authority", "/healthz", "/administrator", "/openapi.jsonp", "/docs.html"]) {
      const res = await send(path, { token, env: issuer.env });
      expect(res.headers.get("X-Upstream")).toBe("echo");
    }
  });

  it("adds the CORS headers to forwarded answers and answers preflights on gateway paths itself", async () => {
    const issuer = await testIssuer();
    const res = await send("/api/x", { token: await issuer.sign(), headers: { Origin: ORIGIN }, env: issuer.env });
    expect(res.headers.get("X-Upstream")).toBe("echo");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(res.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    const preflight = await send("/api/x", { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" }, env: issuer.env });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("X-Upstream")).toBeNull();
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toBe("GET,POST,PATCH,PUT,DELETE");
  });

  it("answers 404 for other paths when no UPSTREAM is bound", async () => {
    await expectProblem(await send("/api/x"), 404, "not_found");
  });

  it("passes a token issued by the local Cognito", async () => {
    const login = await signedInUser();
    const res = await send("/api/me", { token: login.tokens.accessToken, env: { UPSTREAM: env.TEST_UPSTREAM } });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo.headers["x-auth-sub"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("gateway request log", () => {
  afterEach(() => vi.restoreAllMocks());
  const requestLines = (spy: { mock: { calls: unknown[][] } }) =>
    spy.mock.calls.map(([line]) => JSON.parse(String(line)) as { event: string; status: number }).filter((l) => l.event === "request");

  it("samples the lines of successful forwarded requests (none at rate 0, all at 1) and always logs failures", async () => {
    const { tokens } = await signedInUser();
    const info = vi.spyOn(console, "info");
    const error = vi.spyOn(console, "error");
    const env0 = { UPSTREAM: env.TEST_UPSTREAM, GATEWAY_LOG_SAMPLE_RATE: "0" };
    for (let i = 0; i < 5; i++) expect((await send("/api/x", { token: tokens.accessToken, env: env0 })).status).toBe(200);
    expect(requestLines(info)).toEqual([]);
    // The Worker's own refusal and an upstream failure are always logged.
    expect((await send("/api/x", { env: env0 })).status).toBe(401);
    expect(requestLines(info)).toEqual([expect.objectContaining({ status: 401 })]);
    expect((await send("/status/502", { token: tokens.accessToken, env: env0 })).status).toBe(502);
    expect(requestLines(error)).toEqual([expect.objectContaining({ status: 502 })]);
    info.mockClear();
    const env1 = { ...env0, GATEWAY_LOG_SAMPLE_RATE: "1" };
    for (let i = 0; i < 3; i++) await send("/api/x", { token: tokens.accessToken, env: env1 });
    expect(requestLines(info)).toHaveLength(3);
  });
});

