import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config";
import type { AccessClaims } from "../tokens/claims";
import { ASSERTION_LIFETIME_S, AssertionSigner, REUSE_MARGIN_S } from "./assertion";
import { AssertionCache } from "./assertion-cache";
import { parseAssertionSettings } from "./assertion-keys";

/** A new P-256 key as a private JWK with a kid. */
async function newKey(kid: string) {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const { kty, crv, x, y, d } = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  return { kty, crv, x, y, d, kid } as Record<string, string>;
}

const NOW_S = 1_900_000_000;

function userClaims(overrides: Partial<AccessClaims> = {}): AccessClaims {
  const raw = {
    sub: "sub-1",
    username: "alice",
    client_id: "client-1",
    scope: "openid orders/read",
    "cognito:groups": ["staff"],
    iat: NOW_S - 30,
    exp: NOW_S + 3600,
  };
  return {
    sub: "sub-1",
    username: "alice",
    clientId: "client-1",
    scope: ["openid", "orders/read"],
    groups: ["staff"],
    jti: "jti-1",
    iat: NOW_S - 30,
    exp: NOW_S + 3600,
    authTime: NOW_S - 100,
    raw,
    ...overrides,
  };
}

async function settingsWith(env: Record<string, unknown> = {}) {
  const current = await newKey("k1");
  const settings = parseAssertionSettings({ GATEWAY_SIGNING_KEY: JSON.stringify(current), GATEWAY_ASSERTION_AUDIENCE: "orders-api", ...env });
  if (!settings) throw new Error("feature off");
  return settings;
}

const verify = (token: string, jwks: string, options: { audience?: string; issuer?: string; at?: number } = {}) =>
  jwtVerify(token, createLocalJWKSet(JSON.parse(jwks)), {
    audience: options.audience ?? "orders-api",
    issuer: options.issuer ?? "https://edge.example.com",
    algorithms: ["ES256"],
    currentDate: new Date((options.at ?? NOW_S) * 1000),
  });

describe("parseAssertionSettings", () => {
  it("is off (null) when none of its variables is set", () => {
    expect(parseAssertionSettings({})).toBeNull();
    expect(parseAssertionSettings({ GATEWAY_SIGNING_KEY: " ", GATEWAY_ASSERTION_AUDIENCE: "" })).toBeNull();
  });

  it("publishes the public halves of the current and the next key, never `d`", async () => {
    const next = await newKey("k2");
    const settings = await settingsWith({ GATEWAY_SIGNING_KEY_NEXT: JSON.stringify(next) });
    const { keys } = JSON.parse(settings.jwks) as { keys: Record<string, string>[] };
    expect(keys.map((k) => k.kid)).toEqual(["k1", "k2"]);
    for (const key of keys) expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    expect(keys[1]).toMatchObject({ x: next.x, y: next.y, alg: "ES256", use: "sig" });
    expect(settings.jwks).not.toContain(next.d);
    expect(settings.jwks).not.toContain(settings.current.d);
  });

  it("accepts a next key without `d` (a public JWK)", async () => {
    const { d: _, ...next } = await newKey("k2");
    const settings = await settingsWith({ GATEWAY_SIGNING_KEY_NEXT: JSON.stringify(next) });
    expect(settings.next?.kid).toBe("k2");
  });

  const refusals: [string, (key: Record<string, string>) => Record<string, unknown>, string[]][] = [
    ["no audience", (key) => ({ GATEWAY_SIGNING_KEY: JSON.stringify(key) }), ["GATEWAY_ASSERTION_AUDIENCE"]],
    ["an audience without a key", () => ({ GATEWAY_ASSERTION_AUDIENCE: "orders-api" }), ["GATEWAY_SIGNING_KEY"]],
    ["a key that is not JSON", () => ({ GATEWAY_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----", GATEWAY_ASSERTION_AUDIENCE: "a" }), ["GATEWAY_SIGNING_KEY"]],
    [
      "a public key to sign with",
      ({ d: _, ...key }) => ({ GATEWAY_SIGNING_KEY: JSON.stringify(key), GATEWAY_ASSERTION_AUDIENCE: "a" }),
      ["GATEWAY_SIGNING_KEY"],
    ],
    ["a key without kid", ({ kid: _, ...key }) => ({ GATEWAY_SIGNING_KEY: JSON.stringify(key), GATEWAY_ASSERTION_AUDIENCE: "a" }), ["GATEWAY_SIGNING_KEY"]],
    ["another curve", (key) => ({ GATEWAY_SIGNING_KEY: JSON.stringify({ ...key, crv: "P-384" }), GATEWAY_ASSERTION_AUDIENCE: "a" }), ["GATEWAY_SIGNING_KEY"]],
    ["an RSA key", (key) => ({ GATEWAY_SIGNING_KEY: JSON.stringify({ ...key, kty: "RSA" }), GATEWAY_ASSERTION_AUDIENCE: "a" }), ["GATEWAY_SIGNING_KEY"]],
    [
      "a next key with the current kid",
      (key) => ({ GATEWAY_SIGNING_KEY: JSON.stringify(key), GATEWAY_SIGNING_KEY_NEXT: JSON.stringify(key), GATEWAY_ASSERTION_AUDIENCE: "a" }),
      ["GATEWAY_SIGNING_KEY_NEXT"],
    ],
    [
      "a malformed next key",
      (key) => ({ GATEWAY_SIGNING_KEY: JSON.stringify(key), GATEWAY_SIGNING_KEY_NEXT: "{}", GATEWAY_ASSERTION_AUDIENCE: "a" }),
      ["GATEWAY_SIGNING_KEY_NEXT"],
    ],
    [
      "an http issuer",
      (key) => ({ GATEWAY_SIGNING_KEY: JSON.stringify(key), GATEWAY_ASSERTION_AUDIENCE: "a", GATEWAY_ASSERTION_ISSUER: "http://edge.example.com" }),
      ["GATEWAY_ASSERTION_ISSUER"],
    ],
    [
      "an audience with a space",
      (key) => ({ GATEWAY_SIGNING_KEY: JSON.stringify(key), GATEWAY_ASSERTION_AUDIENCE: "orders api" }),
      ["GATEWAY_ASSERTION_AUDIENCE"],
    ],
  ];
  for (const [name, env, variables] of refusals) {
    it(`refuses ${name}, naming ${variables.join(", ")} and never a value`, async () => {
      const key = await newKey("k1");
      let thrown: unknown;
      try {
        parseAssertionSettings(env(key));
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).variables).toEqual(variables);
      expect((thrown as ConfigError).message).not.toContain(key.d);
    });
  }
});

describe("AssertionSigner", () => {
  it("signs an ES256 JWT that jose verifies with the JWKS, with the claims of docs/API.md", async () => {
    const settings = await settingsWith();
    const signer = new AssertionSigner(settings, { now: () => NOW_S * 1000 });
    const token = await signer.assertion(userClaims(), "GET", "https://edge.example.com/orders/7", "https://edge.example.com");
    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", typ: "JWT", kid: "k1" });
    const { payload } = await verify(token, settings.jwks);
    expect(payload).toEqual({
      iss: "https://edge.example.com",
      aud: "orders-api",
      iat: NOW_S,
      exp: NOW_S + ASSERTION_LIFETIME_S,
      sub: "sub-1",
      username: "alice",
      kind: "user",
      client_id: "client-1",
      groups: ["staff"],
      scope: "openid orders/read",
      auth_time: NOW_S - 100,
      htm: "GET",
      htu: "https://edge.example.com/orders/7",
    });
  });

  it("says `client` and has no username for a client-credentials token", async () => {
    const settings = await settingsWith();
    const signer = new AssertionSigner(settings, { now: () => NOW_S * 1000 });
    const machine = userClaims({
      sub: "client-2",
      username: "client-2",
      clientId: "client-2",
      groups: [],
      authTime: undefined,
      raw: { sub: "client-2", client_id: "client-2" },
    });
    const { payload } = await verify(await signer.assertion(machine, "POST", "https://edge.example.com/jobs", "https://edge.example.com"), settings.jwks);
    expect(payload).toMatchObject({ sub: "client-2", kind: "client", client_id: "client-2", groups: [] });
    expect(payload).not.toHaveProperty("username");
    expect(payload).not.toHaveProperty("auth_time");
  });

  it("uses the configured issuer, and never outlives the access token", async () => {
    const settings = await settingsWith({ GATEWAY_ASSERTION_ISSUER: "https://gateway.example.com" });
    const signer = new AssertionSigner(settings, { now: () => NOW_S * 1000 });
    const token = await signer.assertion(userClaims({ exp: NOW_S + 20 }), "GET", "https://edge.example.com/a", "https://edge.example.com");
    const { payload } = await verify(token, settings.jwks, { issuer: "https://gateway.example.com" });
    expect(payload.exp).toBe(NOW_S + 20);
  });

  it("is refused by a verifier after exp", async () => {
    const settings = await settingsWith();
    const signer = new AssertionSigner(settings, { now: () => NOW_S * 1000 });
    const token = await signer.assertion(userClaims(), "GET", "https://edge.example.com/a", "https://edge.example.com");
    await expect(verify(token, settings.jwks, { at: NOW_S + ASSERTION_LIFETIME_S + 1 })).rejects.toMatchObject({ code: "ERR_JWT_EXPIRED" });
  });

  it("signs once per caller, method and URL while REUSE_MARGIN_S is left, racing requests included", async () => {
    let now = NOW_S * 1000;
    const signer = new AssertionSigner(await settingsWith(), { now: () => now });
    const claims = userClaims();
    const at = (method: string, path: string) => signer.assertion(claims, method, `https://edge.example.com${path}`, "https://edge.example.com");
    // ECDSA signatures are randomized: the same token twice means one signature.
    const [first, racing] = await Promise.all([at("GET", "/a"), at("GET", "/a")]);
    expect(racing).toBe(first);
    expect(await at("POST", "/a")).not.toBe(first);
    expect(await at("GET", "/b")).not.toBe(first);
    expect(await signer.assertion(userClaims({ jti: "jti-2" }), "GET", "https://edge.example.com/a", "https://edge.example.com")).not.toBe(first);
    now += (ASSERTION_LIFETIME_S - REUSE_MARGIN_S - 1) * 1000;
    expect(await at("GET", "/a")).toBe(first);
    now += 1000;
    const renewed = await at("GET", "/a");
    expect(renewed).not.toBe(first);
  });

  it("refuses a token past its exp, and signs an expiring token's assertion once, held to its exp", async () => {
    let now = NOW_S * 1000;
    const signer = new AssertionSigner(await settingsWith(), { now: () => now });
    const at = (claims: AccessClaims) => signer.assertion(claims, "GET", "https://edge.example.com/a", "https://edge.example.com");
    await expect(at(userClaims({ exp: NOW_S - 30 }))).rejects.toMatchObject({ code: "token_expired" });
    await expect(at(userClaims({ exp: NOW_S }))).rejects.toMatchObject({ code: "token_expired" });
    const expiring = userClaims({ exp: NOW_S + 5 });
    const first = await at(expiring);
    for (; now < (NOW_S + 5) * 1000; now += 1000) expect(await at(expiring)).toBe(first);
    await expect(at(expiring)).rejects.toMatchObject({ code: "token_expired" });
  });

  it("without a jti, gives no token the assertion of another with other claims", async () => {
    const settings = await settingsWith();
    const signer = new AssertionSigner(settings, { now: () => NOW_S * 1000 });
    const at = async (claims: AccessClaims) =>
      (await verify(await signer.assertion(claims, "GET", "https://edge.example.com/a", "https://edge.example.com"), settings.jwks)).payload;
    const base = userClaims({ jti: undefined, groups: ["admin"], scope: ["api/write"] });
    expect(await at(base)).toMatchObject({ groups: ["admin"], scope: "api/write" });
    expect(await at({ ...base, groups: [] })).toMatchObject({ groups: [] });
    expect(await at({ ...base, scope: ["api/read"] })).toMatchObject({ scope: "api/read" });
    expect(await at({ ...base, username: "mallory" })).toMatchObject({ username: "mallory" });
    expect(await at({ ...base, exp: NOW_S + 30 })).toMatchObject({ exp: NOW_S + 30 });
  });

  it("holds a bounded number of assertions", async () => {
    const signer = new AssertionSigner(await settingsWith(), { maxEntries: 3, now: () => NOW_S * 1000 });
    const claims = userClaims();
    const tokens = [];
    for (const path of ["/1", "/2", "/3", "/4"])
      tokens.push(await signer.assertion(claims, "GET", `https://edge.example.com${path}`, "https://edge.example.com"));
    expect(await signer.assertion(claims, "GET", "https://edge.example.com/4", "https://edge.example.com")).toBe(tokens[3]);
    expect(await signer.assertion(claims, "GET", "https://edge.example.com/1", "https://edge.example.com")).not.toBe(tokens[0]);
  });

  it("refuses a key whose private part belongs to another key, naming GATEWAY_SIGNING_KEY", async () => {
    const [a, b] = [await newKey("k1"), await newKey("k1")];
    const settings = await settingsWith({ GATEWAY_SIGNING_KEY: JSON.stringify({ ...a, d: b.d }) });
    const signer = new AssertionSigner(settings, { now: () => NOW_S * 1000 });
    await expect(signer.ready()).rejects.toMatchObject({ code: "internal_error", cause: { reason: "config", variables: "GATEWAY_SIGNING_KEY" } });
    await expect(signer.assertion(userClaims(), "GET", "https://edge.example.com/a", "https://edge.example.com")).rejects.toMatchObject({
      code: "internal_error",
    });
  });

  it("refuses a next key whose point is not on the curve, naming GATEWAY_SIGNING_KEY_NEXT", async () => {
    const next = { ...(await newKey("k2")), y: (await newKey("k3")).y };
    const settings = await settingsWith({ GATEWAY_SIGNING_KEY_NEXT: JSON.stringify(next) });
    await expect(new AssertionSigner(settings).ready()).rejects.toMatchObject({ cause: { variables: "GATEWAY_SIGNING_KEY_NEXT" } });
  });
});

describe("AssertionCache", () => {
  const token = (s: string) => Promise.resolve(s);

  it("drops the entry signed first beyond its bound, and expired ones on the way", () => {
    const cache = new AssertionCache(2);
    cache.set("a", token("a"), 100, 0);
    cache.set("b", token("b"), 100, 0);
    cache.set("c", token("c"), 100, 0);
    expect([cache.get("a", 1), cache.size]).toEqual([undefined, 2]);
    cache.set("d", token("d"), 200, 150);
    expect(cache.size).toBe(1);
  });

  it("never hands out a token at or after its `until`, and does not hold very long keys", () => {
    const cache = new AssertionCache();
    cache.set("a", token("a"), 100, 0);
    expect(cache.get("a", 99)).toBeDefined();
    expect(cache.get("a", 100)).toBeUndefined();
    cache.set("x".repeat(3000), token("x"), 100, 0);
    expect(cache.size).toBe(0);
  });

  it("forgets a signature that failed", async () => {
    const cache = new AssertionCache();
    const failed = Promise.reject(new Error("no key"));
    cache.set("a", failed, 100, 0);
    await expect(failed).rejects.toThrow();
    await Promise.resolve();
    expect(cache.get("a", 1)).toBeUndefined();
  });
});
