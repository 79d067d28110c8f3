// The Worker's routes mounted in a team's own Hono app (cognito-edge/app),
// beside the team's routes, which keep their paths, notFound and onError.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { cognitoEdge } from "cognito-edge/app";
import { requireAuth } from "cognito-edge/verifier";
import { expectProblem, randomIpv6, registeredUser, type Tokens, workerEnv } from "../support/worker";

/** A host with routes before and after the mounted ones, and its own notFound and onError. */
function hostApp() {
  const app = new Hono<{ Bindings: Env }>();
  app.get("/before", (c) => c.text("host before"));
  app.route("/", cognitoEdge());
  app.get("/orders", requireAuth(), (c) => c.json({ owner: c.var.auth.claims.sub }));
  app.get("/docs", (c) => c.text("host docs"));
  app.notFound((c) => c.text("host 404", 404));
  app.onError((_err, c) => c.text("host error", 500));
  return app;
}

/** One request through the host, with the Worker's bindings (UPSTREAM too: mounted, nothing is forwarded). */
async function call(app: Hono<{ Bindings: Env }>, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("CF-Connecting-IP", randomIpv6());
  const ctx = createExecutionContext();
  const res = await app.request(`https://api.example.com${path}`, { ...init, headers }, workerEnv({ UPSTREAM: env.TEST_UPSTREAM }), ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("the auth routes mounted in a host app", () => {
  it("answers the host's routes, before and after the mount, without the Worker's middleware", async () => {
    const app = hostApp();
    for (const [path, text] of [["/before", "host before"], ["/docs", "host docs"]]) {
      const res = await call(app, path);
      expect({ status: res.status, text: await res.text() }).toEqual({ status: 200, text });
      expect(res.headers.get("X-Request-Id")).toBeNull();
    }
  });

  it("answers /health and signs in at /auth/login against the local Cognito; the host's requireAuth accepts the token", async () => {
    const app = hostApp();
    const health = await call(app, "/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const user = await registeredUser();
    const login = await call(app, "/auth/login", json({ email: user.email, password: user.password }));
    expect(login.status).toBe(200);
    expect(login.headers.get("X-Request-Id")).toBeTruthy();
    const { accessToken } = (await login.json()) as Tokens;
    const orders = await call(app, "/orders", { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(orders.status).toBe(200);
    const me = await call(app, "/auth/me", { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: user.email });
  });

  it("answers its own errors and 404s as problem+json, whatever the host's onError and notFound", async () => {
    const app = hostApp();
    await expectProblem(await call(app, "/auth/login", json({ email: "not an email" })), 400, "validation_failed");
    await expectProblem(await call(app, "/auth/no-such-route"), 404, "not_found");
    await expectProblem(await call(app, "/auth/me/..%2f..%2fadmin"), 400, "validation_failed");
  });

  it("leaves every other path to the host: its notFound, never the gateway", async () => {
    const app = hostApp();
    const res = await call(app, "/somewhere/else", { headers: { Authorization: "Bearer x" } });
    expect({ status: res.status, text: await res.text() }).toEqual({ status: 404, text: "host 404" });
    expect(res.headers.get("X-Upstream")).toBeNull();
  });

  it("builds the Worker's own app with the gateway when asked", async () => {
    const app = cognitoEdge({ gateway: true });
    const ctx = createExecutionContext();
    const res = await app.request("https://edge.example.com/anything", { headers: { "CF-Connecting-IP": randomIpv6() } }, workerEnv({ UPSTREAM: env.TEST_UPSTREAM }), ctx);
    await waitOnExecutionContext(ctx);
    await expectProblem(res, 401, "unauthorized");
  });
});
