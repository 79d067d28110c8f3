// The library in a host Worker whose env carries variables of its own, some of
// them named like ours: verification reads only the variables it needs.
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ConfigError, createVerifier, requireAuth } from "cognito-edge/verifier";
import { testIssuer } from "../support/tokens";

/** The host's own variables: values the Worker's configuration would refuse. */
const HOST_VARIABLES = { LOG_LEVEL: "debug", CORS_ORIGINS: "*", RATE_LIMITS: "nonsense", PUBLIC_PATHS: "no-slash" };

/** A host app with one route of its own and one protected by requireAuth (`options` or the env form). */
function hostApp(options?: Parameters<typeof requireAuth>[0]) {
  const app = new Hono<{ Bindings: Record<string, unknown> }>();
  app.get("/ping", (c) => c.text(String(c.env.LOG_LEVEL)));
  app.get("/orders", requireAuth(options), (c) => c.json({ sub: c.var.auth.claims.sub }));
  return app;
}

async function expectUnauthorized(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  expect(((await res.json()) as { code: string }).code).toBe("unauthorized");
  expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge"');
}

describe("the verifier in a host whose env has variables of its own", () => {
  it("answers 401 without a token and 200 with a valid one, whatever LOG_LEVEL, CORS_ORIGINS or RATE_LIMITS hold (env form)", async () => {
    const issuer = await testIssuer();
    const hostEnv = {
      AWS_REGION: env.AWS_REGION,
      COGNITO_USER_POOL_ID: env.COGNITO_USER_POOL_ID,
      COGNITO_CLIENT_ID: env.COGNITO_CLIENT_ID,
      COGNITO_ISSUER: issuer.issuer,
      ...HOST_VARIABLES,
    };
    const app = hostApp();
    await expectUnauthorized(await app.request("/orders", {}, hostEnv));
    const token = await issuer.sign({ sub: "sub-host" });
    const ok = await app.request("/orders", { headers: { Authorization: `Bearer ${token}` } }, hostEnv);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sub: "sub-host" });
    expect(await (await app.request("/ping", {}, hostEnv)).text()).toBe("debug");
  });

  it("answers 401 and 200 with explicit options, reading nothing of the env", async () => {
    const issuer = await testIssuer();
    const app = hostApp({ userPoolId: env.COGNITO_USER_POOL_ID, clientId: env.COGNITO_CLIENT_ID, region: env.AWS_REGION, issuer: issuer.issuer });
    await expectUnauthorized(await app.request("/orders", {}, HOST_VARIABLES));
    const token = await issuer.sign({ sub: "sub-options" });
    const ok = await app.request("/orders", { headers: { Authorization: `Bearer ${token}` } }, HOST_VARIABLES);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sub: "sub-options" });
  });

  it("shares one verifier between routes, and checks groups with it", async () => {
    const issuer = await testIssuer();
    const verifier = createVerifier({ userPoolId: env.COGNITO_USER_POOL_ID, clientId: env.COGNITO_CLIENT_ID, issuer: issuer.issuer, timeoutMs: 2000 });
    const app = new Hono();
    app.get("/a", requireAuth({ verifier }), (c) => c.text("a"));
    app.get("/admin", requireAuth({ verifier, groups: ["admin"] }), (c) => c.text("admin"));
    const headers = { Authorization: `Bearer ${await issuer.sign({ "cognito:groups": ["users"] })}` };
    expect((await app.request("/a", { headers })).status).toBe(200);
    expect((await app.request("/admin", { headers })).status).toBe(403);
    expect(await issuer.fetches()).toBe(1);
  });

  it("verifies directly with createVerifier's options, and refuses a token of another client", async () => {
    const issuer = await testIssuer();
    const verifier = createVerifier({ userPoolId: env.COGNITO_USER_POOL_ID, clientId: env.COGNITO_CLIENT_ID, issuer: [issuer.issuer] });
    await expect(verifier.verify(await issuer.sign({ sub: "sub-direct" }))).resolves.toMatchObject({ sub: "sub-direct" });
    await expect(verifier.verify(await issuer.sign({ client_id: "another" }))).rejects.toMatchObject({ code: "unauthorized" });
  });

  it.each([
    [{ userPoolId: "not a pool", clientId: "abc" }, ["userPoolId"]],
    [{ userPoolId: "eu-west-1_AbC123", clientId: "" }, ["clientId"]],
    [{ userPoolId: "eu-west-1_AbC123", clientId: "abc", issuer: "http://example.com/pool" }, ["issuer"]],
    [{ userPoolId: "eu-west-1_AbC123", clientId: "abc", timeoutMs: 5 }, ["timeoutMs"]],
    [{ userPoolId: "eu-west-1_AbC123", clientId: "abc", secret: "short" }, ["secret"]],
  ])("refuses malformed options at creation, naming the option: %o", (options, named) => {
    expect(() => createVerifier(options)).toThrow(ConfigError);
    expect(() => requireAuth(options)).toThrow(expect.objectContaining({ variables: named }));
  });

  it("still answers 500 when one of its own variables is malformed (env form)", async () => {
    const issuer = await testIssuer();
    const res = await hostApp().request("/orders", { headers: { Authorization: `Bearer ${await issuer.sign()}` } }, {
      AWS_REGION: env.AWS_REGION,
      COGNITO_USER_POOL_ID: env.COGNITO_USER_POOL_ID,
      COGNITO_CLIENT_ID: env.COGNITO_CLIENT_ID,
      COGNITO_ISSUER: issuer.issuer,
      COGNITO_TIMEOUT_MS: "soon",
    });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { code: string }).code).toBe("internal_error");
  });
});
