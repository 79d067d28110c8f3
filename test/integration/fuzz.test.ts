// Property-based: thousands of generated bodies and Authorization headers
// (bounded so CI stays fast). Every answer must be a 4xx problem+json with a
// known code: never a 500, never a stack trace, never an echo of the input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { send, signedInUser } from "../support/worker";

const KNOWN = new Set([
  "validation_failed", "invalid_json", "unsupported_media_type", "payload_too_large", "user_already_exists",
  "weak_password", "invalid_credentials", "email_not_confirmed", "code_mismatch", "code_expired",
  "invalid_refresh_token", "invalid_session", "unauthorized", "token_expired", "forbidden", "not_found",
  "too_many_requests",
]);
const RUNS = 200;

async function expectSafe(res: Response, marker?: string) {
  const text = await res.text();
  if (res.status < 400) return;
  expect(res.status, text).toBeLessThan(500);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = JSON.parse(text) as { code: string };
  expect(KNOWN.has(body.code), body.code).toBe(true);
  expect(text).not.toMatch(/\s+at\s.+:\d+:\d+/);
  if (marker) expect(text).not.toContain(marker);
}

const MARKER = "Fz-Secret-9!";
const email = () => fc.oneof(fc.emailAddress(), fc.string(), fc.constant(`${crypto.randomUUID()}@example.com`));
const anyValue = () => fc.oneof(fc.jsonValue(), fc.constant(MARKER));
/** Fields of each route's body, each either plausible or anything at all. */
const ROUTES: { path: string; method?: string; bearer?: boolean; fields: Record<string, fc.Arbitrary<unknown>> }[] = [
  { path: "/auth/register", fields: { email: email(), password: fc.constant(MARKER), name: fc.string(), attributes: fc.dictionary(fc.string(), fc.string()) } },
  { path: "/auth/verify", fields: { email: email(), code: fc.string() } },
  { path: "/auth/resend-code", fields: { email: email() } },
  { path: "/auth/login", fields: { email: email(), password: fc.constant(MARKER) } },
  { path: "/auth/challenge", fields: { email: email(), challenge: fc.constantFrom("SMS_MFA", "EMAIL_OTP", "NEW_PASSWORD_REQUIRED", "X"), session: fc.string(), code: fc.string(), newPassword: fc.constant(MARKER) } },
  { path: "/auth/refresh", fields: { refreshToken: fc.string() } },
  { path: "/auth/forgot-password", fields: { email: email() } },
  { path: "/auth/reset-password", fields: { email: email(), code: fc.string(), newPassword: fc.constant(MARKER) } },
  { path: "/auth/logout", bearer: true, fields: { refreshToken: fc.string(), global: fc.boolean() } },
  { path: "/auth/change-password", bearer: true, fields: { currentPassword: fc.constant(MARKER), newPassword: fc.string() } },
  { path: "/auth/me", method: "PATCH", bearer: true, fields: { attributes: fc.dictionary(fc.string({ maxLength: 40 }), fc.string()) } },
  { path: "/auth/me/verify-attribute", bearer: true, fields: { attribute: fc.string(), code: fc.string() } },
  { path: "/auth/mfa/totp/verify", bearer: true, fields: { code: fc.string(), deviceName: fc.string() } },
];

/** A body: raw text, any JSON, or the route's fields with some replaced, dropped or added. */
function bodies(fields: Record<string, fc.Arbitrary<unknown>>) {
  const record = fc.record(
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fc.oneof({ weight: 3, arbitrary: v }, { weight: 1, arbitrary: anyValue() })])),
    { requiredKeys: [] },
  );
  const withExtra = fc.tuple(record, fc.dictionary(fc.string({ maxLength: 8 }), anyValue(), { maxKeys: 2 })).map(([r, extra]) => ({ ...extra, ...r }));
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(record, withExtra).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string() },
  );
}

describe("fuzzing", () => {
  it.each(ROUTES)("$path answers every generated body with a 4xx problem or success", async (route) => {
    const token = route.bearer ? (await signedInUser()).tokens.accessToken : undefined;
    await fc.assert(
      fc.asyncProperty(bodies(route.fields), async (body) => {
        const res = await send(route.path, {
          method: route.method ?? "POST",
          body,
          token,
          headers: { "Content-Type": "application/json" },
        });
        await expectSafe(res, MARKER);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("answers every generated Authorization header with 401 and a challenge", async () => {
    const header = fc.oneof(
      fc.string({ unit: "binary-ascii" }),
      fc.string().map((s) => `Bearer ${s}`),
      fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
      fc.jsonValue().map((v) => `Bearer eyJhbGciOiJSUzI1NiJ9.${btoa(JSON.stringify(v) ?? "null").replace(/=+$/, "")}.c2ln`),
    ).filter((h) => /^[\t\x20-\x7e]*$/.test(h));
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const res = await send("/auth/me", { headers: { Authorization: authorization } });
        expect(res.status).toBe(401);
        expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="cognito-edge"/);
        await expectSafe(res);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
