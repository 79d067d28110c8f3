// The verifier and requireAuth as a library, in another Hono app (package
// entry `cognito-edge/verifier`), plus its per-isolate caches.
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type AppEnv, configFor, problem, AuthError, requireAuth, verifyAccessToken } from "../../src/lib";
import { cacheKey } from "../../src/tokens/jwks";
import { testIssuer } from "../support/tokens";

function libraryApp() {
  const app = new Hono<AppEnv>();
  app.get("/orders", requireAuth(), (c) => c.json({ sub: c.var.auth.claims.sub }));
  app.get("/admin", requireAuth({ groups: ["admin"] }), (c) => c.text("ok"));
  app.get("/write", requireAuth({ scopes: ["orders/write"] }), (c) => c.text("ok"));
  app.onError((err, c) => problem(c, err instanceof AuthError ? err : new AuthError("internal_error", "x")));
  return app;
}

describe("library use", () => {
  afterEach(() => vi.restoreAllMocks());

  it("requireAuth puts the verified claims in c.var.auth", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign({ sub: "sub-42" });
    const res = await libraryApp().request("/orders", { headers: { Authorization: `Bearer ${token}` } }, { ...env, ...issuer.env });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: "sub-42" });
  });

  it.each([
    ["/admin", { "cognito:groups": ["users"] }],
    ["/write", { scope: "orders/read" }],
  ])("answers 403 forbidden with insufficient_scope when %s's group or scope is missing", async (path, claims) => {
    const issuer = await testIssuer();
    const res = await libraryApp().request(path, { headers: { Authorization: `Bearer ${await issuer.sign(claims)}` } }, { ...env, ...issuer.env });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("forbidden");
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge", error="insufficient_scope"');
  });

  it("lets the group and scope through when present", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign({ "cognito:groups": ["admin"], scope: "orders/write openid" });
    const app = libraryApp();
    const headers = { Authorization: `Bearer ${token}` };
    expect((await app.request("/admin", { headers }, { ...env, ...issuer.env })).status).toBe(200);
    expect((await app.request("/write", { headers }, { ...env, ...issuer.env })).status).toBe(200);
  });
});

describe("per-isolate caches", () => {
  afterEach(() => vi.restoreAllMocks());

  it("pays the RSA verification once for a repeated token, and still checks exp", async () => {
    const issuer = await testIssuer();
    const config = configFor({ ...env, ...issuer.env });
    const token = await issuer.sign({ iat: Math.floor(Date.now() / 1000) - 10, exp: Math.floor(Date.now() / 1000) + 2 });
    const verify = vi.spyOn(crypto.subtle, "verify");
    await verifyAccessToken(config, token);
    const first = verify.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    await verifyAccessToken(config, token);
    expect(verify.mock.calls.length).toBe(first);
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 70_000);
    await expect(verifyAccessToken(config, token)).rejects.toMatchObject({ code: "token_expired" });
  });

  it("starts warm from a JWKS another isolate left in the Cache API", async () => {
    const issuer = await testIssuer();
    const config = configFor({ ...env, ...issuer.env });
    await caches.default.put(
      cacheKey(config.jwksUrl),
      new Response(JSON.stringify({ uat: Date.now(), jwks: { keys: [issuer.publicJwk] } }), {
        headers: { "cache-control": "max-age=600" },
      }),
    );
    await verifyAccessToken(config, await issuer.sign());
    expect(await issuer.fetches()).toBe(0);
  });

  it("leaves a warm copy in the Cache API after fetching", async () => {
    const issuer = await testIssuer();
    const config = configFor({ ...env, ...issuer.env });
    await verifyAccessToken(config, await issuer.sign());
    const stored = await caches.default.match(cacheKey(config.jwksUrl));
    expect(((await stored?.json()) as { jwks: { keys: { kid: string }[] } }).jwks.keys[0].kid).toBe(issuer.kid);
  });
});
