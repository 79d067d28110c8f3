// Every JSON route against hostile input: the answer is always a 4xx
// problem+json with a known code, never a 500, never an echo of a secret.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ECHO_SECRET as SECRET } from "../support/secrets";
import { adminUser, expectProblem, send, signedInUser } from "../support/worker";

/** Each JSON route with a valid body; `optional` fields may be left out. */
const ROUTES: { path: string; method?: string; auth?: "user" | "admin"; valid: Record<string, unknown>; optional?: string[] }[] = [
  {
    path: "/auth/register",
    valid: { email: "a@example.com", password: SECRET, name: "A", attributes: { locale: "en" } },
    optional: ["password", "attributes"],
  },
  { path: "/auth/verify", valid: { email: "a@example.com", code: "123456", session: "s".repeat(64) }, optional: ["session"] },
  { path: "/auth/resend-code", valid: { email: "a@example.com" } },
  { path: "/auth/login", valid: { email: "a@example.com", password: SECRET }, optional: ["password"] },
  { path: "/auth/login", valid: { email: "a@example.com", method: "email_otp" }, optional: ["method"] },
  {
    path: "/auth/challenge",
    valid: { email: "a@example.com", challenge: "SELECT_CHALLENGE", session: "s".repeat(64), method: "email_otp" },
  },
  { path: "/auth/challenge", valid: { email: "a@example.com", challenge: "SMS_OTP", session: "s".repeat(64), code: "12345678" } },
  {
    path: "/auth/challenge",
    valid: { email: "a@example.com", challenge: "SOFTWARE_TOKEN_MFA", session: "s".repeat(64), code: "123456" },
  },
  {
    path: "/auth/challenge",
    valid: { email: "a@example.com", challenge: "NEW_PASSWORD_REQUIRED", session: "s".repeat(64), newPassword: SECRET },
  },
  { path: "/auth/refresh", valid: { refreshToken: SECRET }, optional: ["refreshToken"] },
  { path: "/auth/logout", auth: "user", valid: { refreshToken: SECRET, global: false }, optional: ["refreshToken", "global"] },
  { path: "/auth/forgot-password", valid: { email: "a@example.com" } },
  { path: "/auth/reset-password", valid: { email: "a@example.com", code: "123456", newPassword: SECRET } },
  { path: "/auth/change-password", auth: "user", valid: { currentPassword: SECRET, newPassword: SECRET } },
  { path: "/auth/me", method: "PATCH", auth: "user", valid: { attributes: { name: SECRET } } },
  { path: "/auth/me/verify-attribute", auth: "user", valid: { attribute: "email", code: SECRET.slice(0, 20) } },
  { path: "/auth/me/attribute-code", auth: "user", valid: { attribute: "email" } },
  { path: "/auth/mfa/totp/verify", auth: "user", valid: { code: "123456", deviceName: "phone" }, optional: ["deviceName"] },
  {
    path: "/auth/passkeys",
    auth: "user",
    valid: { credential: { id: "Y3JlZA", rawId: "Y3JlZA", type: "public-key", response: { clientDataJSON: "e30", attestationObject: "oA" } } },
  },
  {
    path: "/admin/users",
    auth: "admin",
    valid: { email: "a@example.com", name: "A", temporaryPassword: SECRET, attributes: { locale: "en" } },
    optional: ["name", "temporaryPassword", "attributes"],
  },
];

/** JSON values of another type than `value`'s (object, array and null are types of their own here). */
const jsonType = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
const WRONG_TYPED: unknown[] = [12345, null, [SECRET], { x: SECRET }, true, SECRET];
const wrongTyped = (value: unknown) => WRONG_TYPED.filter((v) => jsonType(v) !== jsonType(value));

const tokens: Partial<Record<"user" | "admin", string>> = {};
const KNOWN = new Set(["validation_failed", "invalid_json", "unsupported_media_type", "payload_too_large"]);

async function expectRefused(res: Response, status?: number, code?: string): Promise<{ code: string; errors?: { path: string }[] }> {
  const text = await res.text();
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = JSON.parse(text) as { code: string; errors?: { path: string }[] };
  expect(KNOWN.has(body.code)).toBe(true);
  if (status) expect(res.status).toBe(status);
  if (code) expect(body.code).toBe(code);
  expect(text).not.toContain(SECRET);
  expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

/** Asserts a validation problem whose errors all name `path`. */
async function expectNaming(res: Response, path: string) {
  const body = await expectRefused(res, 400, "validation_failed");
  expect(body.errors?.map((e) => e.path), path).toEqual([path]);
}

async function tokenFor(auth: "user" | "admin") {
  tokens[auth] ??= (await (auth === "admin" ? adminUser() : signedInUser())).tokens.accessToken;
  return tokens[auth];
}

const titled = ROUTES.map((r) => ({ ...r, title: [r.method ?? "POST", r.path, r.valid.challenge ?? r.valid.method ?? ""].join(" ").trim() }));

describe.each(titled)("$title refuses bad input", (route) => {
  const call = async (init: { body?: string; headers?: Record<string, string> }) => {
    return send(route.path, {
      method: route.method ?? "POST",
      body: init.body,
      token: route.auth && (await tokenFor(route.auth)),
      headers: { "Content-Type": "application/json", ...init.headers },
    });
  };

  it("invalid JSON: 400 invalid_json", async () => {
    await expectRefused(await call({ body: `{"password":"${SECRET}"` }), 400, "invalid_json");
  });

  it("text/plain: 415 unsupported_media_type", async () => {
    await expectRefused(await call({ body: JSON.stringify(route.valid), headers: { "Content-Type": "text/plain" } }), 415);
  });

  it("a 20 KiB body: 413 payload_too_large", async () => {
    const body = JSON.stringify({ ...route.valid, pad: "x".repeat(20 * 1024) });
    await expectRefused(await call({ body }), 413, "payload_too_large");
  });

  it("an unknown field: 400 validation_failed", async () => {
    await expectRefused(await call({ body: JSON.stringify({ ...route.valid, extra: SECRET }) }), 400, "validation_failed");
  });

  it("each required field missing: 400 validation_failed naming it", async () => {
    for (const key of Object.keys(route.valid).filter((k) => !route.optional?.includes(k))) {
      const { [key]: _dropped, ...rest } = route.valid;
      await expectNaming(await call({ body: JSON.stringify(rest) }), key);
    }
  });

  it("each field wrong-typed: 400 validation_failed naming it", async () => {
    for (const [key, valid] of Object.entries(route.valid)) {
      for (const value of wrongTyped(valid)) {
        await expectNaming(await call({ body: JSON.stringify({ ...route.valid, [key]: value }) }), key);
      }
    }
  });

  it("a JSON array or string instead of an object: 400 validation_failed", async () => {
    await expectRefused(await call({ body: JSON.stringify([route.valid]) }), 400, "validation_failed");
    await expectRefused(await call({ body: JSON.stringify(SECRET) }), 400, "validation_failed");
  });
});

describe("shared behaviour", () => {
  afterEach(() => vi.restoreAllMocks());

  it("logs one JSON line per request with the route pattern, and none for successes at LOG_LEVEL=warn", async () => {
    const info = vi.spyOn(console, "info");
    await send("/health", { headers: { "X-Request-Id": "log-test-1" } });
    const lines = info.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines.filter((l) => l.event === "request")).toEqual([
      expect.objectContaining({ requestId: "log-test-1", method: "GET", route: "/health", status: 200, ms: expect.any(Number) }),
    ]);
    info.mockClear();
    await send("/health", { env: { LOG_LEVEL: "warn" } });
    expect(info).not.toHaveBeenCalled();
  });

  it("answers unknown routes with 404 not_found as problem+json", async () => {
    await expectProblem(await send("/nope"), 404, "not_found");
    await expectProblem(await send("/auth/login", { method: "GET" }), 404, "not_found");
  });

  it("counts a missing optional body as {}, also under Content-Type: application/json", async () => {
    const cases: Record<string, string>[] = [{}, { "Content-Type": "application/json" }, { "Content-Type": "application/json", "Content-Length": "0" }];
    for (const headers of cases) {
      await expectProblem(await send("/auth/refresh", { method: "POST", headers }), 401, "invalid_refresh_token");
    }
  });

  it("answers GET /health without calling Cognito", async () => {
    const res = await send("/health", { env: { COGNITO_ENDPOINT: "http://127.0.0.1:1/" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it.each([
    ["a success", "/health"],
    ["an error", "/nope"],
  ])("sets the secure headers on %s", async (_case, path) => {
    const res = await send(path);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("echoes a valid X-Request-Id and replaces an invalid one", async () => {
    const ok = await send("/health", { headers: { "X-Request-Id": "req-123.abc_D" } });
    expect(ok.headers.get("X-Request-Id")).toBe("req-123.abc_D");
    const bad = await send("/health", { headers: { "X-Request-Id": "bad id with spaces" } });
    expect(bad.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    const long = await send("/nope", { headers: { "X-Request-Id": "a".repeat(129) } });
    expect(long.headers.get("X-Request-Id")).not.toBe("a".repeat(129));
  });

  it("answers 500 internal_error, and nothing more, when a required variable is missing", async () => {
    const res = await send("/auth/login", { json: { email: "a@example.com", password: SECRET }, env: { COGNITO_CLIENT_ID: "" } });
    const body = await expectProblem(res, 500, "internal_error");
    expect(Object.keys(body).sort()).toEqual(["code", "detail", "status", "title", "type"]);
    expect(JSON.stringify(body)).not.toContain("COGNITO");
  });

  it("answers 503 upstream_unavailable with Retry-After when Cognito is unreachable", async () => {
    const res = await send("/auth/login", {
      json: { email: "a@example.com", password: SECRET },
      env: { COGNITO_ENDPOINT: "http://127.0.0.1:1/" },
    });
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});
