// The gateway's signed identity (X-Auth-Assertion) and its JWKS, end to end:
// examples/verifying-upstream checks assertions with jose against the JWKS the
// Worker serves (vitest.config.ts gives every test project a current and a next key).
import { env } from "cloudflare:workers";
import { importJWK, type JWTPayload, SignJWT, decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { now, testIssuer } from "../support/tokens";
import { expectProblem, send, signedInUser } from "../support/worker";

interface Echo {
  headers: Record<string, string>;
}

const OFF = { GATEWAY_SIGNING_KEY: "", GATEWAY_SIGNING_KEY_NEXT: "", GATEWAY_ASSERTION_AUDIENCE: "" };
const ORIGIN = "https://edge.example.com";
const verifying = { UPSTREAM: env.TEST_EXAMPLE_VERIFYING };

/** Sends straight to examples/verifying-upstream, past the gateway, as an attacker who can reach it would. */
const direct = (path: string, method: string, assertion: string) =>
  env.TEST_EXAMPLE_VERIFYING.fetch(`${ORIGIN}${path}`, { method, headers: { "X-Auth-Assertion": assertion } });

/** An assertion for GET `path`, as the gateway made it: echoed by the echo upstream. */
async function assertionFor(path: string, method = "GET") {
  const issuer = await testIssuer();
  const token = await issuer.sign({ sub: "sub-a", username: "user-a" });
  const res = await send(path, { method, token, env: issuer.env });
  expect(res.status).toBe(200);
  return ((await res.json()) as Echo).headers["x-auth-assertion"];
}

/** An assertion signed with the test's current key, with `claims` over well-formed defaults. */
async function signed(claims: JWTPayload, key = env.GATEWAY_SIGNING_KEY) {
  const jwk = JSON.parse(key) as { kid: string };
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: ORIGIN,
    aud: env.GATEWAY_ASSERTION_AUDIENCE,
    iat: now,
    exp: now + 60,
    sub: "sub-x",
    kind: "user",
    client_id: env.COGNITO_CLIENT_ID,
    groups: [],
    scope: "",
  };
  return new SignJWT({ ...payload, htm: "GET", htu: `${ORIGIN}/orders`, ...claims })
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: jwk.kid })
    .sign(await importJWK(JSON.parse(key), "ES256"));
}

describe("signed identity: examples/verifying-upstream", () => {
  it("verifies the gateway's assertion with jose against the Worker's JWKS", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/orders", { token: tokens.accessToken, env: verifying });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { owner: string; kind: string; groups: string[] };
    expect(body).toEqual({ owner: decodeJwt(tokens.accessToken).sub, kind: "user", groups: [], orders: [] });
    const created = await send("/orders", { method: "POST", token: tokens.accessToken, env: verifying });
    expect(created.status).toBe(201);
  });

  it("refuses a request that did not come through the gateway, and a client's own X-Auth-* through it", async () => {
    expect((await direct("/orders", "GET", "")).status).toBe(401);
    const { tokens } = await signedInUser();
    // A real assertion, replayed by a client through the gateway on a public path: stripped, the upstream sees none.
    const captured = await assertionFor("/orders");
    const replayed = await send("/orders", {
      headers: { "X-Auth-Assertion": captured, "X-Auth-Sub": "sub-a" },
      env: { ...verifying, PUBLIC_PATHS: "/orders" },
    });
    expect(replayed.status).toBe(401);
    // And with a token of its own, the caller is the token's, not the forged header's.
    const own = await send("/orders", { token: tokens.accessToken, headers: { "X-Auth-Assertion": captured }, env: verifying });
    expect(((await own.json()) as { owner: string }).owner).toBe(decodeJwt(tokens.accessToken).sub);
  });

  it("refuses an assertion for GET /orders replayed to POST /orders or to another path", async () => {
    const captured = await assertionFor("/orders");
    expect((await direct("/orders", "GET", captured)).status).toBe(200);
    expect((await direct("/orders", "POST", captured)).status).toBe(401);
    expect((await direct("/orders/7", "GET", captured)).status).toBe(401);
    expect(decodeJwt(captured)).toMatchObject({ htm: "GET", htu: `${ORIGIN}/orders`, iss: ORIGIN, aud: env.GATEWAY_ASSERTION_AUDIENCE });
  });

  it("refuses an expired assertion, one for another audience and one signed with another key", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await direct("/orders", "GET", await signed({}))).status).toBe(200);
    expect((await direct("/orders", "GET", await signed({ iat: now - 180, exp: now - 61 }))).status).toBe(401);
    expect((await direct("/orders", "GET", await signed({ aud: "another-api" }))).status).toBe(401);
    const { privateKey } = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])) as CryptoKeyPair;
    const forged = { ...(await crypto.subtle.exportKey("jwk", privateKey)), kid: (JSON.parse(env.GATEWAY_SIGNING_KEY) as { kid: string }).kid };
    expect((await direct("/orders", "GET", await signed({}, JSON.stringify(forged)))).status).toBe(401);
    // The next key is published but does not sign: an assertion made with it verifies, as it will after the swap.
    expect((await direct("/orders", "GET", await signed({}, env.GATEWAY_SIGNING_KEY_NEXT))).status).toBe(200);
  });
});

describe("signed identity: the gateway", () => {
  it("reuses one assertion per caller, method and path, and signs another for another request", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign({ sub: "sub-r", username: "user-r" });
    const at = async (path: string, method = "GET") =>
      ((await (await send(path, { method, token, env: issuer.env })).json()) as Echo).headers["x-auth-assertion"];
    const first = await at("/r/1");
    expect(await at("/r/1")).toBe(first);
    expect(await at("/r/1", "POST")).not.toBe(first);
    expect(await at("/r/2")).not.toBe(first);
    const claims = decodeJwt(first);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(60);
  });

  it("vouches for no token past its exp: 401 token_expired, anonymous on a public path, as before without signing", async () => {
    const issuer = await testIssuer();
    // Expired 30 s ago: the verifier's 60 s clock tolerance still admits it.
    const token = await issuer.sign({ iat: now() - 3630, exp: now() - 30 });
    const env = { ...issuer.env, PUBLIC_PATHS: "/public" };
    await expectProblem(await send("/api/x", { token, env }), 401, "token_expired");
    const open = (await (await send("/public/x", { token, env })).json()) as Echo;
    expect(Object.keys(open.headers).filter((h) => /^x-auth-|^authorization$/.test(h))).toEqual([]);
    expect((await send("/api/x", { token, env: { ...env, ...OFF } })).status).toBe(200);
  });

  it("never hands one token's assertion to another token of the user with other claims (no jti)", async () => {
    const issuer = await testIssuer();
    const [iat, sub] = [now(), crypto.randomUUID()];
    const admin = await issuer.sign({ sub, iat, jti: undefined, "cognito:groups": ["admin"], scope: "api/write" });
    const demoted = await issuer.sign({ sub, iat, jti: undefined, "cognito:groups": [], scope: "api/read" });
    expect((await send("/api/x", { token: admin, env: issuer.env })).status).toBe(200);
    const { headers } = (await (await send("/api/x", { token: demoted, env: issuer.env })).json()) as Echo;
    expect(headers["x-auth-groups"]).toBe("");
    expect(decodeJwt(headers["x-auth-assertion"])).toMatchObject({ groups: [], scope: "api/read" });
  });

  it("signs an expiring token's assertion once, to its exp, not on every request", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign({ iat: now() - 3595, exp: now() + 5 });
    const at = async () => ((await (await send("/api/x", { token, env: issuer.env })).json()) as Echo).headers["x-auth-assertion"];
    const first = await at();
    expect(decodeJwt(first).exp).toBe(decodeJwt(token).exp);
    // ECDSA signatures are randomized: the same assertion is the same signature.
    for (let i = 0; i < 3; i++) expect(await at()).toBe(first);
  });

  it("forwards no assertion for an anonymous request on a public path, and strips a forged one", async () => {
    const issuer = await testIssuer();
    const res = await send("/public/x", {
      headers: { "X-Auth-Assertion": "forged", x_auth_assertion: "forged" },
      env: { ...issuer.env, PUBLIC_PATHS: "/public" },
    });
    const { headers } = (await res.json()) as Echo;
    expect(Object.keys(headers).filter((h) => /^x[-_]auth[-_]/.test(h))).toEqual([]);
  });

  it("serves the JWKS, current then next, cacheable, without private parts, on every host and never forwarded", async () => {
    for (const url of ["/.well-known/jwks.json", "https://auth.example.com/.well-known/jwks.json"]) {
      const res = await send(url, { env: { UPSTREAM: env.TEST_UPSTREAM, AUTH_HOST: "auth.example.com" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("X-Upstream")).toBeNull();
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
      expect(res.headers.get("Content-Type")).toBe("application/json");
      const { keys } = (await res.json()) as { keys: Record<string, string>[] };
      const [current, next] = [env.GATEWAY_SIGNING_KEY, env.GATEWAY_SIGNING_KEY_NEXT].map((k) => JSON.parse(k) as Record<string, string>);
      expect(keys).toEqual([current, next].map(({ x, y, kid }) => ({ kty: "EC", crv: "P-256", x, y, kid, alg: "ES256", use: "sig" })));
    }
    await expectProblem(await send("/.well-known/jwks.json", { method: "POST", env: { UPSTREAM: env.TEST_UPSTREAM } }), 404, "not_found");
  });

  it("changes nothing without its variables: no assertion, and the JWKS path is the upstream's", async () => {
    const issuer = await testIssuer();
    const token = await issuer.sign({ sub: "sub-o" });
    const res = await send("/orders", { token, env: { ...issuer.env, ...OFF } });
    expect(Object.keys(((await res.json()) as Echo).headers)).not.toContain("x-auth-assertion");
    const jwks = await send("/.well-known/jwks.json", { token, env: { ...issuer.env, ...OFF } });
    expect(jwks.headers.get("X-Upstream")).toBe("echo");
    await expectProblem(await send("https://auth.example.com/.well-known/jwks.json", { env: { ...OFF, AUTH_HOST: "auth.example.com" } }), 404, "not_found");
  });

  it("configured badly, is a 500 on the gateway and the JWKS only", async () => {
    const { tokens } = await signedInUser();
    for (const bad of [{ GATEWAY_SIGNING_KEY: "{not json" }, { GATEWAY_ASSERTION_AUDIENCE: "" }, { GATEWAY_SIGNING_KEY_NEXT: env.GATEWAY_SIGNING_KEY }]) {
      const broken = { UPSTREAM: env.TEST_UPSTREAM, PUBLIC_PATHS: "/public", ...bad };
      await expectProblem(await send("/orders", { token: tokens.accessToken, env: broken }), 500, "internal_error");
      await expectProblem(await send("/public/x", { env: broken }), 500, "internal_error");
      await expectProblem(await send("/.well-known/jwks.json", { env: broken }), 500, "internal_error");
      expect((await send("/health", { env: broken })).status).toBe(200);
      expect((await send("/auth/me", { token: tokens.accessToken, env: broken })).status).toBe(200);
    }
  });
});
