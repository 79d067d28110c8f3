// Configuration at the Worker's edge: required variables fail everything, an
// optional feature configured badly is switched off on its own, and /health says
// which features are on.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import worker from "../../src/index";
import { OLD_STATE_SECRET } from "../support/secrets";
import { expectProblem, ORIGIN, send } from "../support/worker";

const oauth = inject("oauth");
const OAUTH_ENV = {
  COGNITO_DOMAIN: oauth.domain,
  OAUTH_REDIRECT_URI: oauth.redirectUri,
  OAUTH_RETURN_ORIGINS: ORIGIN,
};

async function health(overrides: Record<string, unknown> = {}) {
  const res = await send("/health", { env: overrides });
  expect(res.status).toBe(200);
  return ((await res.json()) as { features: Record<string, boolean> }).features;
}

describe("optional features", () => {
  afterEach(() => vi.restoreAllMocks());

  it("/health reports which optional features are on", async () => {
    const res = await send("/health");
    expect(await res.json()).toEqual({
      status: "ok",
      features: { oauth: false, admin: true, gateway: false, revocations: false, sessions: false, browserSessions: false },
    });
    expect(
      await health({ ...OAUTH_ENV, UPSTREAM: env.TEST_UPSTREAM, REVOCATIONS: env.TEST_REVOCATIONS, SESSIONS: env.TEST_SESSIONS, SESSION_MODE: "browser" }),
    ).toEqual({
      oauth: true,
      admin: true,
      gateway: true,
      revocations: true,
      sessions: true,
      browserSessions: true,
    });
  });

  it("switches OAuth off, not the Worker, when COGNITO_DOMAIN comes without OAUTH_REDIRECT_URI", async () => {
    const overrides = { ...OAUTH_ENV, OAUTH_REDIRECT_URI: "" };
    expect((await health(overrides)).oauth).toBe(false);
    await expectProblem(await send("/nope", { env: overrides }), 404, "not_found");
    for (const path of ["/auth/oauth/authorize", "/auth/oauth/callback?code=a&state=b"]) {
      const res = await send(path, { env: overrides });
      await expectProblem(res, 503, "upstream_unavailable");
      expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
    }
  });

  it.each([
    ["an http COGNITO_DOMAIN", { COGNITO_DOMAIN: "http://auth.example.com" }],
    ["an http OAUTH_REDIRECT_URI", { OAUTH_REDIRECT_URI: "http://edge.example.com/auth/oauth/callback" }],
    ["an http OAUTH_RETURN_ORIGINS entry", { OAUTH_RETURN_ORIGINS: `${ORIGIN},http://app.example.com` }],
  ])("refuses %s: OAuth is off and answers 503", async (_case, bad) => {
    const overrides = { ...OAUTH_ENV, ...bad };
    expect((await health(overrides)).oauth).toBe(false);
    await expectProblem(await send("/auth/oauth/authorize", { env: overrides }), 503, "upstream_unavailable");
  });

  it("switches admin off, not the Worker, when only half the AWS credentials are set", async () => {
    const overrides = { AWS_SECRET_ACCESS_KEY: "" };
    expect((await health(overrides)).admin).toBe(false);
    const res = await send("/admin/users", { env: overrides });
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("warns once per configuration, naming the variables and never their values", async () => {
    const warn = vi.spyOn(console, "warn");
    // OAUTH_STATE_SECRET of earlier versions: ignored (the state key derives from EDGE_SECRET), and said so.
    const bindings = { ...env, ...OAUTH_ENV, OAUTH_REDIRECT_URI: "", OAUTH_STATE_SECRET: OLD_STATE_SECRET, AWS_SECRET_ACCESS_KEY: "" } as Env;
    for (const path of ["/health", "/health", "/auth/oauth/authorize"]) {
      const ctx = createExecutionContext();
      await worker.fetch(new Request(`https://edge.example.com${path}`), bindings, ctx);
      await waitOnExecutionContext(ctx);
    }
    const lines = warn.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines).toEqual([
      { level: "warn", event: "config_features_disabled", disabled: { oauth: ["OAUTH_REDIRECT_URI"], admin: ["AWS_SECRET_ACCESS_KEY"] } },
      { level: "warn", event: "config_variable_ignored", variables: ["OAUTH_STATE_SECRET"], use: "EDGE_SECRET" },
    ]);
  });
});

describe("required and general settings", () => {
  it.each([
    ["a missing COGNITO_CLIENT_ID", { COGNITO_CLIENT_ID: "" }],
    ["an http COGNITO_ISSUER off loopback", { COGNITO_ISSUER: "http://issuer.example.com/pool" }],
    ["an http COGNITO_ENDPOINT off loopback", { COGNITO_ENDPOINT: "http://cognito.example.com/" }],
    ["an http CORS origin off loopback", { CORS_ORIGINS: "http://app.example.com" }],
  ])("answers 500 on every route, /health included, for %s", async (_case, overrides) => {
    await expectProblem(await send("/health", { env: overrides }), 500, "internal_error");
  });
});
