// A pool between its two issuer formats (docs/API.md, "Access-token
// verification"): tokens of both issuers pass, every other issuer fails.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EdgeKeys } from "../../src/seal/keys";
import { storeWarmCopy } from "../../src/tokens/jwks";
import { testIssuer, type TestIssuer } from "../support/tokens";
import { expectProblem, send } from "../support/worker";

const INVALID = 'Bearer realm="cognito-edge", error="invalid_token"';

const call = (token: string, overrides: Record<string, unknown>) =>
  send("/api/orders", { headers: { Authorization: `Bearer ${token}` }, env: { UPSTREAM: env.TEST_UPSTREAM, ...overrides } });

async function expectRefused(token: string, overrides: Record<string, unknown>) {
  const res = await call(token, overrides);
  await expectProblem(res, 401, "unauthorized");
  expect(res.headers.get("WWW-Authenticate")).toBe(INVALID);
}

/**
 * A real pool's configuration (no COGNITO_ISSUER) whose keys are already in the
 * Cache API under the JWKS URL of `jwksFrom`, as another isolate leaves them:
 * nothing is fetched from AWS.
 */
async function realPool(jwksFrom: "original" | "updated", format?: "updated") {
  const keys: TestIssuer = await testIssuer({ register: false });
  const pool = `eu-west-1_AbC${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;
  const original = `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`;
  const updated = `https://issuer-cognito-idp.eu-west-1.amazonaws.com/${pool}`;
  const jwks = `${jwksFrom === "updated" ? updated : original}/.well-known/jwks.json`;
  await storeWarmCopy(jwks, { keys: [keys.publicJwk] }, new EdgeKeys({ current: env.EDGE_SECRET }));
  const overrides = { AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: pool, COGNITO_ISSUER: "", COGNITO_ISSUER_FORMAT: format ?? "" };
  return { keys, pool, original, updated, overrides };
}

describe("issuer formats of one pool", () => {
  it("passes tokens of the ORIGINAL and the UPDATED issuer, each again from the verified-token cache", async () => {
    const { keys, original, updated, overrides } = await realPool("original");
    for (const iss of [original, updated]) {
      const token = await keys.sign({ iss });
      expect((await call(token, overrides)).status).toBe(200);
      expect((await call(token, overrides)).status).toBe(200);
    }
  });

  it("fetches the JWKS from the UPDATED issuer with COGNITO_ISSUER_FORMAT=updated, and passes both issuers", async () => {
    const { keys, original, updated, overrides } = await realPool("updated", "updated");
    expect((await call(await keys.sign({ iss: updated }), overrides)).status).toBe(200);
    expect((await call(await keys.sign({ iss: original }), overrides)).status).toBe(200);
  });

  it("refuses every other issuer", async () => {
    const { keys, pool, overrides } = await realPool("original");
    const refused = [
      `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1`,
      `https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1`,
      `https://cognito-idp.eu-west-2.amazonaws.com/${pool}`,
      `https://issuer-cognito-idp.us-east-1.amazonaws.com/${pool}`,
      `http://cognito-idp.eu-west-1.amazonaws.com/${pool}`,
      `http://issuer-cognito-idp.eu-west-1.amazonaws.com/${pool}`,
      `https://cognito-idp.eu-west-1.amazonaws.com/${pool}/`,
      `https://issuer-cognito-idp.eu-west-1.amazonaws.com/${pool}/`,
      `https://Cognito-IDP.eu-west-1.amazonaws.com/${pool}`,
      `https://ISSUER-cognito-idp.eu-west-1.amazonaws.com/${pool}`,
      `https://issuer-cognito-idp.eu-west-1.amazonaws.com/${pool.toLowerCase()}`,
      `https://cognito-idp.eu-west-1.amazonaws.com.evil.example/${pool}`,
      `https://issuer-cognito-idp.eu-west-1.amazonaws.com/${pool}/x`,
      `https://cognito-idp.eu-west-1.amazonaws.com:443/${pool}`,
    ];
    for (const iss of refused) await expectRefused(await keys.sign({ iss }), overrides);
    await expectRefused(await keys.sign({ iss: undefined }), overrides);
  });
});

describe("COGNITO_ISSUER with two issuers", () => {
  it("passes both, with the JWKS fetched once, from the first", async () => {
    const issuer = await testIssuer();
    const second = issuer.issuer.replace("127.0.0.1", "localhost");
    const overrides = { COGNITO_ISSUER: `${issuer.issuer},${second}` };
    for (const iss of [issuer.issuer, second]) {
      const token = await issuer.sign({ iss });
      expect((await call(token, overrides)).status).toBe(200);
      expect((await call(token, overrides)).status).toBe(200);
    }
    expect(await issuer.fetches()).toBe(1);
    await expectRefused(await issuer.sign({ iss: issuer.issuer.replace("127.0.0.1", "127.0.0.2") }), overrides);
  });

  it("refuses a cached token of an issuer the current configuration no longer lists", async () => {
    const issuer = await testIssuer();
    const second = issuer.issuer.replace("127.0.0.1", "localhost");
    const token = await issuer.sign({ iss: second });
    expect((await call(token, { COGNITO_ISSUER: `${issuer.issuer},${second}` })).status).toBe(200);
    await expectRefused(token, { COGNITO_ISSUER: issuer.issuer });
  });
});
