// The bad-token suite of docs/API.md's "Access-token verification", through the gateway.
import { describe, expect, it } from "vitest";
import { expectGaveUpAfterTimeout, HUNG_ENV } from "../support/hung";
import { b64url, generateKey, now, testIssuer, type TestIssuer } from "../support/tokens";
import { expectProblem, send } from "../support/worker";

const INVALID = 'Bearer realm="cognito-edge", error="invalid_token"';

async function callWith(issuer: TestIssuer, authorization?: string) {
  const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
  return send("/api/orders?page=2", { headers, env: issuer.env });
}

async function expectRejected(issuer: TestIssuer, authorization: string | undefined, code = "unauthorized") {
  const res = await callWith(issuer, authorization);
  await expectProblem(res, 401, code);
  expect(res.headers.get("WWW-Authenticate")).toBe(authorization === undefined ? 'Bearer realm="cognito-edge"' : INVALID);
}

describe("access-token verification", () => {
  it("passes a valid token and forwards the request", async () => {
    const issuer = await testIssuer();
    const res = await callWith(issuer, `Bearer ${await issuer.sign()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Upstream")).toBe("echo");
  });

  it("refuses a missing header without an error parameter", async () => {
    await expectRejected(await testIssuer(), undefined);
  });

  it.each([
    ["Bearer with nothing", "Bearer"],
    ["Bearer and a space", "Bearer "],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["two segments", "Bearer abc.def"],
    ["four segments", "Bearer a.b.c.d"],
    ["bad base64", "Bearer AAAA.BBBB.CCC+"],
    ["base64 that is not JSON", `Bearer ${b64url("nope")}.${b64url("{}")}.${b64url("sig")}`],
  ])("refuses %s", async (_case, authorization) => {
    await expectRejected(await testIssuer(), authorization);
  });

  it("refuses alg: none", async () => {
    const issuer = await testIssuer();
    const valid = await issuer.sign();
    const payload = valid.split(".")[1];
    await expectRejected(issuer, `Bearer ${b64url(JSON.stringify({ alg: "none", kid: issuer.kid }))}.${payload}.`);
  });

  it("refuses HS256 signed with the RSA public key as the secret", async () => {
    const issuer = await testIssuer();
    const header = b64url(JSON.stringify({ alg: "HS256", kid: issuer.kid }));
    const payload = (await issuer.sign()).split(".")[1];
    const secret = new TextEncoder().encode(JSON.stringify(issuer.publicJwk));
    const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${header}.${payload}`));
    await expectRejected(issuer, `Bearer ${header}.${payload}.${b64url(new Uint8Array(mac))}`);
  });

  it("refuses RS256 signed by a key that is not in the JWKS", async () => {
    const issuer = await testIssuer();
    const { privateKey } = await generateKey();
    await expectRejected(issuer, `Bearer ${await issuer.sign({}, {}, privateKey)}`);
  });

  it("refetches the JWKS once for an unknown kid, then cools down", async () => {
    const issuer = await testIssuer();
    expect((await callWith(issuer, `Bearer ${await issuer.sign()}`)).status).toBe(200);
    expect(await issuer.fetches()).toBe(1);
    await expectRejected(issuer, `Bearer ${await issuer.sign({}, { kid: "rotated-1" })}`);
    expect(await issuer.fetches()).toBe(2);
    await expectRejected(issuer, `Bearer ${await issuer.sign({}, { kid: "rotated-2" })}`);
    expect(await issuer.fetches()).toBe(2);
  });

  it("refuses a token without a kid", async () => {
    const issuer = await testIssuer();
    await expectRejected(issuer, `Bearer ${await issuer.sign({}, { kid: undefined })}`);
  });

  it("refuses a tampered payload and a tampered signature", async () => {
    const issuer = await testIssuer();
    const [h, p, s] = (await issuer.sign()).split(".");
    const claims = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/")));
    const forged = b64url(JSON.stringify({ ...claims, "cognito:groups": ["admin"] }));
    await expectRejected(issuer, `Bearer ${h}.${forged}.${s}`);
    const flipped = (s[10] === "A" ? "B" : "A");
    await expectRejected(issuer, `Bearer ${h}.${p}.${s.slice(0, 10)}${flipped}${s.slice(11)}`);
  });

  it.each([
    ["a wrong issuer", { iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" }],
    ["an ID token", { token_use: "id", aud: "client" }],
    ["a wrong client_id", { client_id: "someone-else" }],
    ["no client_id", { client_id: undefined }],
    ["nbf in the future beyond tolerance", { nbf: now() + 300 }],
    ["iat in the future beyond tolerance", { iat: now() + 300 }],
    ["groups that are not a list of strings", { "cognito:groups": "admin" }],
  ])("refuses %s", async (_case, claims) => {
    const issuer = await testIssuer();
    await expectRejected(issuer, `Bearer ${await issuer.sign(claims)}`);
  });

  it("answers token_expired beyond the 60 s tolerance, and passes within it", async () => {
    const issuer = await testIssuer();
    await expectRejected(issuer, `Bearer ${await issuer.sign({ iat: now() - 3700, exp: now() - 90 })}`, "token_expired");
    // Without a signed identity: with one, the gateway vouches for no token past its exp (gateway-assertion.test.ts).
    const unsigned = { ...issuer.env, GATEWAY_SIGNING_KEY: "", GATEWAY_SIGNING_KEY_NEXT: "", GATEWAY_ASSERTION_AUDIENCE: "" };
    const token = await issuer.sign({ iat: now() - 3630, exp: now() - 30 });
    const within = await send("/api/orders?page=2", { headers: { Authorization: `Bearer ${token}` }, env: unsigned });
    expect(within.status).toBe(200);
  });

  it("verifies a payload with __proto__ keys without polluting anything", async () => {
    const issuer = await testIssuer();
    const claims = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    const res = await callWith(issuer, `Bearer ${await issuer.sign(claims)}`);
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const echoed = (await res.json()) as { headers: Record<string, string> };
    expect(echoed.headers["x-auth-groups"]).toBe("");
  });

  it("refuses a validly signed token over 8,192 characters before fetching keys, and passes one at the limit", async () => {
    const issuer = await testIssuer();
    /** Validly signed tokens, grown by a `pad` claim: the longest of at most `limit` characters and the shortest over it. */
    const around = async (limit: number) => {
      const base = (await issuer.sign({ pad: "" })).length;
      // Four base64url characters per three bytes of claim: start a little under, then grow.
      let under = "";
      for (let pad = Math.floor(((limit - base) * 3) / 4) - 3; ; pad++) {
        const token = await issuer.sign({ pad: "p".repeat(pad) });
        if (token.length > limit) return { under, over: token };
        under = token;
      }
    };
    const { over: huge } = await around(16 * 1024);
    await expectRejected(issuer, `Bearer ${huge}`);
    const { under, over } = await around(8192);
    expect(under.length).toBeGreaterThanOrEqual(8191);
    expect(over.length).toBeLessThanOrEqual(8194);
    await expectRejected(issuer, `Bearer ${over}`);
    // Refused on their length alone: the keys were never fetched to check a signature.
    expect(await issuer.fetches()).toBe(0);
    expect((await callWith(issuer, `Bearer ${under}`)).status).toBe(200);
  });
});

describe("JWKS fetching", () => {
  it("fetches the JWKS once for many concurrent cold requests", async () => {
    const issuer = await testIssuer();
    const tokens = await Promise.all(Array.from({ length: 25 }, () => issuer.sign()));
    const answers = await Promise.all(tokens.map((t) => callWith(issuer, `Bearer ${t}`)));
    expect(answers.map((r) => r.status)).toEqual(tokens.map(() => 200));
    expect(await issuer.fetches()).toBe(1);
  });

  it("keeps verifying with cached keys through a JWKS outage", async () => {
    const issuer = await testIssuer();
    expect((await callWith(issuer, `Bearer ${await issuer.sign()}`)).status).toBe(200);
    await issuer.setMode("down");
    expect((await callWith(issuer, `Bearer ${await issuer.sign()}`)).status).toBe(200);
    // An unknown kid during the outage is an invalid token, not an outage.
    await expectRejected(issuer, `Bearer ${await issuer.sign({}, { kid: "unknown" })}`);
    expect((await callWith(issuer, `Bearer ${await issuer.sign()}`)).status).toBe(200);
  });

  it("keeps the keys it holds when a refetch answers something that is not a key set", async () => {
    const issuer = await testIssuer();
    expect((await callWith(issuer, `Bearer ${await issuer.sign()}`)).status).toBe(200);
    await issuer.serve({ keys: "rotated" });
    await expectRejected(issuer, `Bearer ${await issuer.sign({}, { kid: "unknown" })}`);
    expect(await issuer.fetches()).toBe(2);
    expect((await callWith(issuer, `Bearer ${await issuer.sign()}`)).status).toBe(200);
  });

  it("answers 503 upstream_unavailable when the JWKS host answers something that is not a key set and no key is held", async () => {
    const issuer = await testIssuer();
    await issuer.serve([{ kid: issuer.kid }]);
    const res = await callWith(issuer, `Bearer ${await issuer.sign()}`);
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("answers 503 upstream_unavailable when the JWKS cannot be fetched and no key is cached", async () => {
    const issuer = await testIssuer();
    await issuer.setMode("down");
    const res = await callWith(issuer, `Bearer ${await issuer.sign()}`);
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("answers 503 within the timeout when the JWKS host hangs", async () => {
    const issuer = await testIssuer();
    await issuer.setMode("slow");
    const started = Date.now();
    const res = await send("/api/x", {
      headers: { Authorization: `Bearer ${await issuer.sign()}` },
      env: { ...issuer.env, ...HUNG_ENV },
    });
    await expectProblem(res, 503, "upstream_unavailable");
    expectGaveUpAfterTimeout(started);
  });
});
