// Property-based: generated bodies for every JSON route (any Unicode, every
// limit of docs/API.md from both sides, the 16 KiB body limit, every
// challenge, phone numbers and methods, WebAuthn credentials, sessions of every
// shape: sealed, altered, near the sealed length), generated Authorization
// headers, and validly signed access tokens whose claims and header are fuzzed. Every answer keeps the contract:
// success or a 4xx problem+json with a known code, never a secret of the
// request (2xx included), and exactly what docs/API.md says where it is
// precise. `npm test` runs a few hundred inputs per property; `npm run fuzz`
// (FUZZ_RUNS) thousands.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzz, timeoutFor } from "../support/fuzz/run";
import { expectContract, expectSafeAnswer, inputStrings } from "../support/fuzz/judge";
import { bodyCases, ROUTES } from "../support/fuzz/routes";
import { claimsSpecs, headerPasses, headerSpecs, payloadOf, verdictOf, wildAuthorization } from "../support/fuzz/tokens";
import { FUZZ_PASSWORD } from "../support/secrets";
import { generateKey, now, testIssuer, type TestIssuer } from "../support/tokens";
import { challenged } from "../support/user-auth";
import { adminUser, login, registeredUser, send } from "../support/worker";

const BODIES = 300;
const HEADERS = 1000;
const TOKENS = 500;

/**
 * Without the per-user limiter (cognito-quota.test.ts's subject): one token sends every body of a
 * route. Without the per-account limiter (rate-limit.test.ts's subject): every generated email would
 * start a Durable Object, and vitest-pool-workers 0.15.1 wraps the class's prototype in one more
 * Proxy per instance (createProxyPrototypeClass), so thousands of accounts slow every call
 * quadratically and finally overflow the stack (the Worker then fails open, as documented).
 */
const FUZZ_ENV = { ACCOUNT_LIMITER: undefined, USER_LIMITER: undefined };

const named = ROUTES.map((route) => ({ ...route, name: `${route.method ?? "POST"} ${route.path}${route.variant ? ` (${route.variant})` : ""}` }));

describe("fuzzing the JSON routes", () => {
  it.each(named)(
    "$name answers every generated body as docs/API.md says",
    async (route) => {
      // A verified user whose password is the fuzz marker, so that some generated bodies succeed.
      const known = await registeredUser({ password: FUZZ_PASSWORD });
      const token =
        route.auth === "admin"
          ? (await adminUser()).tokens.accessToken
          : route.auth === "user"
            ? (await login(known.email, FUZZ_PASSWORD)).accessToken
            : undefined;
      // A session the Worker sealed for the known account (its code step), used as is, altered, cut and grown.
      const sealed = (await challenged({ email: known.email, method: "email_otp" })).session;
      await fuzz(
        route.name,
        bodyCases(route, known.email, sealed),
        async (kase) => {
          const headers: Record<string, string> = kase.contentType === undefined ? {} : { "Content-Type": kase.contentType };
          const res = await send(route.path, { method: route.method ?? "POST", body: kase.body, token, headers, env: FUZZ_ENV });
          const problem = await expectSafeAnswer(res, inputStrings(kase.body));
          expectContract(route, kase, problem);
        },
        BODIES,
      );
    },
    timeoutFor(BODIES, 40),
  );
});

/** A request through the gateway: 200 forwarded, or 401 with a challenge. */
async function callGateway(issuer: TestIssuer, authorization: string) {
  const res = await send("/api/fuzz", { headers: { Authorization: authorization }, env: issuer.env });
  const problem = await expectSafeAnswer(res, []);
  if (problem) {
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="cognito-edge"/);
  }
  return res;
}

describe("fuzzing access tokens", () => {
  it(
    "verifies validly signed tokens with fuzzed claims exactly as docs/API.md says, and forwards exactly their claims",
    async () => {
      const issuer = await testIssuer();
      await fuzz(
        "signed tokens with fuzzed claims",
        claimsSpecs(issuer.issuer, env.COGNITO_CLIENT_ID),
        async (spec) => {
          const at = now();
          const payload = payloadOf(spec, at);
          const verdict = verdictOf(payload, issuer.issuer, env.COGNITO_CLIENT_ID, at, Boolean(env.GATEWAY_SIGNING_KEY));
          const token = await issuer.signRaw({ alg: "RS256", kid: issuer.kid }, payload);
          const res = await send("/api/fuzz", { headers: { Authorization: `Bearer ${token}` }, env: issuer.env });
          const text = await res.clone().text();
          const problem = await expectSafeAnswer(res, []);
          if (verdict.pass) {
            expect(res.status, text).toBe(200);
            const { headers } = JSON.parse(text) as { headers: Record<string, string> };
            const forwarded = Object.fromEntries(Object.keys(verdict.identity).map((k) => [k, headers[k]]));
            expect(forwarded).toEqual(verdict.identity);
          } else {
            expect(res.status, text).toBe(401);
            expect(verdict.codes).toContain(problem?.code);
            expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge", error="invalid_token"');
          }
        },
        TOKENS,
      );
    },
    timeoutFor(TOKENS, 20),
  );

  it(
    "answers every generated Authorization header with 200 for a good token, else 401 and a challenge",
    async () => {
      const issuer = await testIssuer();
      const { privateKey: otherKey } = await generateKey();
      const good = () => ({ sub: crypto.randomUUID(), client_id: env.COGNITO_CLIENT_ID, token_use: "access", scope: "openid", iss: issuer.issuer, iat: now(), exp: now() + 600 });
      const cases = fc.oneof(
        { weight: 3, arbitrary: wildAuthorization.map((value) => ({ value, passes: false })) },
        {
          weight: 3,
          arbitrary: fc.tuple(headerSpecs(issuer.kid), fc.boolean()).map(([header, ownKey]) => ({ header, ownKey })),
        },
        {
          weight: 1,
          arbitrary: fc.tuple(fc.constantFrom("Bearer ", "bearer ", "BEARER\t", "Bearer  ", "Bearer", "Bearer:", "Basic "), fc.constantFrom("", " ", "\t", " x", ",")),
        },
      );
      await fuzz(
        "Authorization headers",
        cases,
        async (kase) => {
          if (Array.isArray(kase)) {
            // A good token under a variant of the scheme: RFC 7235 schemes are case-insensitive, then spaces or tabs.
            const [scheme, tail] = kase;
            const value = `${scheme}${await issuer.sign()}${tail}`;
            const res = await callGateway(issuer, value);
            expect(res.status, value).toBe(/^bearer[ \t]+$/i.test(scheme) && /^[ \t]*$/.test(tail) ? 200 : 401);
            return;
          }
          if ("value" in kase) {
            const res = await callGateway(issuer, kase.value);
            expect(res.status).toBe(401);
            return;
          }
          const header = Object.fromEntries(Object.entries(kase.header).filter(([, v]) => v !== undefined));
          const token = await issuer.signRaw(header, good(), kase.ownKey ? undefined : otherKey);
          const res = await callGateway(issuer, `Bearer ${token}`);
          expect(res.status).toBe(kase.ownKey && headerPasses(header, issuer.kid) ? 200 : 401);
        },
        HEADERS,
      );
    },
    timeoutFor(HEADERS, 20),
  );
});
