// The verifier and requireAuth as a library, in another Hono app (package
// entry `cognito-edge/verifier`), plus the caches its verifier holds.
import { env } from "cloudflare:workers";
import { type Context, Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
// The package entry itself, as a library user imports it.
import { type AppEnv, AuthError, configFor, problem, requireAuth, verifierFor } from "cognito-edge/verifier";
import { keysOf } from "../../src/seal/context";
import { cacheKey, storeWarmCopy } from "../../src/tokens/jwks";
import { type TestIssuer, testIssuer } from "../support/tokens";
import readme from "../../README.md?raw";

/** README.md's library example, verbatim, in a fresh app without onError. */
const README_EXAMPLE = [
  'app.get("/orders", requireAuth(), (c) => c.json({ sub: c.var.auth.claims.sub }));',
  'app.delete("/orders/:id", requireAuth({ groups: ["admin"], scopes: ["orders/write"] }), handler);',
];

function readmeApp() {
  const app = new Hono();
  const handler = (c: Context) => c.body(null, 204);
  app.get("/orders", requireAuth(), (c) => c.json({ sub: c.var.auth.claims.sub }));
  app.delete("/orders/:id", requireAuth({ groups: ["admin"], scopes: ["orders/write"] }), handler);
  return app;
}

async function expectLibraryProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ type: "about:blank", status, code });
}

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

describe("the README's library example, in an app without onError", () => {
  it("is the example README.md shows", () => {
    for (const line of README_EXAMPLE) expect(readme).toContain(line);
  });

  it("answers a request without a token 401 unauthorized as problem+json, with the challenge", async () => {
    const issuer = await testIssuer();
    const res = await readmeApp().request("/orders", {}, { ...env, ...issuer.env });
    await expectLibraryProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge"');
  });

  it("answers an invalid token 401 with error=invalid_token, and a valid one 200", async () => {
    const issuer = await testIssuer();
    const app = readmeApp();
    const bad = await app.request("/orders", { headers: { Authorization: "Bearer x.y.z" } }, { ...env, ...issuer.env });
    await expectLibraryProblem(bad, 401, "unauthorized");
    expect(bad.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge", error="invalid_token"');
    const token = await issuer.sign({ sub: "sub-7" });
    const ok = await app.request("/orders", { headers: { Authorization: `Bearer ${token}` } }, { ...env, ...issuer.env });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sub: "sub-7" });
  });

  it("answers 403 forbidden without the group or scope, and runs the handler with both", async () => {
    const issuer = await testIssuer();
    const app = readmeApp();
    const call = async (claims: Record<string, unknown>) =>
      app.request("/orders/7", { method: "DELETE", headers: { Authorization: `Bearer ${await issuer.sign(claims)}` } }, { ...env, ...issuer.env });
    const denied = await call({ "cognito:groups": ["admin"], scope: "orders/read" });
    await expectLibraryProblem(denied, 403, "forbidden");
    expect(denied.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge", error="insufficient_scope"');
    expect((await call({ "cognito:groups": ["admin"], scope: "orders/write" })).status).toBe(204);
  });

  it("answers 503 with Retry-After when the JWKS cannot be fetched, and 500 when the env is incomplete", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign();
    await issuer.setMode("down");
    const down = await readmeApp().request("/orders", { headers: { Authorization: `Bearer ${token}` } }, { ...env, ...issuer.env });
    await expectLibraryProblem(down, 503, "upstream_unavailable");
    expect(down.headers.get("Retry-After")).toMatch(/^\d+$/);
    const broken = await readmeApp().request("/orders", { headers: { Authorization: `Bearer ${token}` } }, { ...env, COGNITO_CLIENT_ID: "" });
    await expectLibraryProblem(broken, 500, "internal_error");
  });
});

/** The config and the verifier of the env pointed at `issuer`, as the Worker holds them for every request. */
function verifierOf(issuer: TestIssuer, overrides: Record<string, string> = {}) {
  const bindings = { ...env, ...issuer.env, ...overrides };
  return { config: configFor(bindings), verifier: verifierFor(bindings) };
}

describe("the verifier's caches", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is built once per env and reused by every call; another env has its own", () => {
    const bindings = { ...env };
    expect(verifierFor(bindings)).toBe(verifierFor(bindings));
    expect(verifierFor({ ...env })).not.toBe(verifierFor(bindings));
  });

  it("pays the RSA verification once for a repeated token, and still checks exp", async () => {
    const issuer = await testIssuer();
    const { verifier } = verifierOf(issuer);
    const token = await issuer.sign({ iat: Math.floor(Date.now() / 1000) - 10, exp: Math.floor(Date.now() / 1000) + 2 });
    const verify = vi.spyOn(crypto.subtle, "verify");
    await verifier.verify(token);
    const first = verify.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    await verifier.verify(token);
    expect(verify.mock.calls.length).toBe(first);
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 70_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: "token_expired" });
  });

  it("starts warm from a JWKS another isolate left in the Cache API", async () => {
    const issuer = await testIssuer();
    const { config, verifier } = verifierOf(issuer);
    await storeWarmCopy(config.jwksUrl, { keys: [issuer.publicJwk] }, keysOf(config));
    await verifier.verify(await issuer.sign());
    expect(await issuer.fetches()).toBe(0);
  });

  it("ignores a copy in the Cache API that another Worker of the zone planted: it lacks a MAC under our key", async () => {
    const issuer = await testIssuer();
    const { config, verifier } = verifierOf(issuer);
    const attacker = await testIssuer({ register: false });
    const keys = { keys: [{ ...attacker.publicJwk, kid: issuer.kid }] };
    // As earlier versions stored it, and as one under another deployment's key.
    const planted = JSON.stringify({ uat: Date.now(), jwks: keys });
    await caches.default.put(cacheKey(config.jwksUrl), new Response(planted, { headers: { "cache-control": "max-age=600" } }));
    const forged = await issuer.sign({}, {}, await attacker.signingKey());
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: "unauthorized" });
    const other = verifierOf(issuer, { EDGE_SECRET: "another-deployments-secret-of-32-bytes" });
    await storeWarmCopy(config.jwksUrl, keys, keysOf(other.config));
    const fresh = verifierOf(issuer);
    await expect(fresh.verifier.verify(forged)).rejects.toMatchObject({ code: "unauthorized" });
    // Without a secret (a library user without EDGE_SECRET) no copy is read at all.
    const bare = verifierOf(issuer, { EDGE_SECRET: "" });
    await expect(bare.verifier.verify(forged)).rejects.toMatchObject({ code: "unauthorized" });
    await expect(bare.verifier.verify(await issuer.sign())).resolves.toMatchObject({ clientId: env.COGNITO_CLIENT_ID });
  });

  it("ignores a copy in the Cache API dated in the future or malformed (the zone's cache is not ours alone)", async () => {
    const issuer = await testIssuer();
    const { config, verifier } = verifierOf(issuer);
    const attacker = await testIssuer({ register: false });
    // A planted key set that would stay "fresh" for ever: a token signed with its key must not pass.
    const planted = JSON.stringify({ uat: Date.now() + 365 * 86400_000, jwks: { keys: [{ ...attacker.publicJwk, kid: issuer.kid }] } });
    await caches.default.put(cacheKey(config.jwksUrl), new Response(planted, { headers: { "cache-control": "max-age=600" } }));
    const forged = await issuer.sign({}, {}, (await attacker.signingKey()));
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: "unauthorized" });
    expect(await issuer.fetches()).toBe(1);
    await expect(verifier.verify(await issuer.sign())).resolves.toMatchObject({ clientId: env.COGNITO_CLIENT_ID });
  });

  it("ignores a copy in the Cache API whose keys are not objects, and fetches the JWKS instead", async () => {
    const issuer = await testIssuer();
    const { config, verifier } = verifierOf(issuer);
    const planted = JSON.stringify({ uat: Date.now(), jwks: { keys: [1] } });
    await caches.default.put(cacheKey(config.jwksUrl), new Response(planted, { headers: { "cache-control": "max-age=600" } }));
    await expect(verifier.verify(await issuer.sign())).resolves.toMatchObject({ clientId: env.COGNITO_CLIENT_ID });
    expect(await issuer.fetches()).toBe(1);
  });

  it("checks the claims jwtVerify would: iss exactly (not an array holding it), nbf, exp with 60 s tolerance", async () => {
    const issuer = await testIssuer();
    const { verifier } = verifierOf(issuer);
    const now = Math.floor(Date.now() / 1000);
    const refused = [{ iss: [issuer.issuer] }, { iss: undefined }, { nbf: now + 120 }, { nbf: "0" }, { exp: now - 61 }];
    for (const claims of refused) await expect(verifier.verify(await issuer.sign(claims))).rejects.toBeInstanceOf(Error);
    await expect(verifier.verify(await issuer.sign({ exp: now - 61 }))).rejects.toMatchObject({ code: "token_expired" });
    await expect(verifier.verify(await issuer.sign({ nbf: now + 30, exp: now - 30 }))).resolves.toMatchObject({ exp: now - 30 });
  });

  it("leaves a warm copy in the Cache API after fetching", async () => {
    const issuer = await testIssuer();
    const { config, verifier } = verifierOf(issuer);
    await verifier.verify(await issuer.sign());
    const stored = (await (await caches.default.match(cacheKey(config.jwksUrl)))?.json()) as { copy: string; mac: string };
    expect(stored.mac).toMatch(/^[\w-]{43}$/);
    expect((JSON.parse(stored.copy) as { jwks: { keys: { kid: string }[] } }).jwks.keys[0].kid).toBe(issuer.kid);
  });
});
