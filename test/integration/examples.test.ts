// Every folder of examples/, run against the local Cognito stand-in as a team
// would deploy it, so that none of them rots.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import * as reexport from "../../examples/reexport/src/index";
import reexportConfig from "../../examples/reexport/wrangler.toml?raw";
import rootConfig from "../../wrangler.toml?raw";
import apiConfig from "../../examples/api-behind-gateway/wrangler.toml?raw";
import honoWorker from "../../examples/hono-worker/src/index";
import { Session } from "../../examples/spa/src/session";
import * as worker from "../../src/index";
import { workerFetch } from "../support/client";
import { expectProblem, randomIpv6, send, signedInUser, registeredUser, workerEnv } from "../support/worker";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe("examples/hono-worker: a Hono Worker protecting its routes", () => {
  /** Its own env: the variables of verification, and one of its own that the Worker's configuration would refuse. */
  const hostEnv = { AWS_REGION: env.AWS_REGION, COGNITO_USER_POOL_ID: env.COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID: env.COGNITO_CLIENT_ID, COGNITO_ISSUER: env.COGNITO_ISSUER, LOG_LEVEL: "debug" };

  it("answers 401 without a token, 200 with one from the local Cognito, 403 without the group", async () => {
    const anonymous = await honoWorker.request("/orders", {}, hostEnv);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("Content-Type")).toBe("application/problem+json");
    expect(anonymous.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge"');
    const { tokens } = await signedInUser();
    const orders = await honoWorker.request("/orders", { headers: bearer(tokens.accessToken) }, hostEnv);
    expect(orders.status).toBe(200);
    expect(await orders.json()).toMatchObject({ orders: [] });
    const removed = await honoWorker.request("/orders/7", { method: "DELETE", headers: bearer(tokens.accessToken) }, hostEnv);
    expect(removed.status).toBe(403);
  });
});

describe("examples/api-behind-gateway: reachable only through the gateway", () => {
  it("has no public way in: no workers.dev, no preview URLs, no routes", () => {
    expect(apiConfig).toMatch(/^workers_dev = false$/m);
    expect(apiConfig).toMatch(/^preview_urls = false$/m);
    expect(apiConfig).not.toMatch(/^\s*(routes?|\[\[routes\]\])\b/m);
  });

  it("gets the caller the gateway verified, in X-Auth-*, and nothing a client sent", async () => {
    const { tokens } = await signedInUser();
    const upstream = { UPSTREAM: env.TEST_EXAMPLE_API };
    const res = await send("/orders", { token: tokens.accessToken, headers: { "X-Auth-Groups": "admin" }, env: upstream });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { owner: string; groups: string[] };
    expect(body.owner).toMatch(/^[\w-]+$/);
    expect(body.groups).toEqual([]);
    await expectProblem(await send("/orders", { headers: { "X-Auth-Sub": "someone-else" }, env: upstream }), 401, "unauthorized");
  });
});

describe("examples/rpc-caller: AuthService.verify over RPC", () => {
  it("answers 200 for a token from the local Cognito and 401 for another", async () => {
    const { tokens } = await signedInUser();
    const ok = await env.TEST_EXAMPLE_RPC.fetch("https://reports/", { headers: bearer(tokens.accessToken) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ report: "monthly", for: expect.any(String) });
    const refused = await env.TEST_EXAMPLE_RPC.fetch("https://reports/", { headers: bearer(tokens.idToken) });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ code: "unauthorized" });
  });
});

describe("examples/spa: a page signing in with cognito-edge/client", () => {
  it("signs in against the Worker, shows the profile, restores it from the refresh cookie and signs out", async () => {
    const user = await registeredUser();
    const fetcher = workerFetch({ cookies: true });
    const session = new Session("https://edge.example.com", fetcher.fetch);
    expect(await session.signIn(user.email, "wrong-Passw0rd!")).toEqual({ state: "refused", code: "invalid_credentials" });
    const outcome = await session.signIn(user.email, user.password);
    expect(outcome).toMatchObject({ state: "signedIn", profile: { email: user.email } });
    const reloaded = new Session("https://edge.example.com", fetcher.fetch);
    expect(await reloaded.restore()).toMatchObject({ email: user.email });
    await reloaded.signOut();
    expect(await new Session("https://edge.example.com", fetcher.fetch).restore()).toBeUndefined();
  });
});

describe("examples/reexport: the Worker deployed from a project of its own", () => {
  it("re-exports the Worker, its Durable Object and its RPC entrypoint, as wrangler.toml names them", () => {
    expect(reexport.default).toBe(worker.default);
    expect(reexport.AccountLimiter).toBe(worker.AccountLimiter);
    expect(reexport.AuthService).toBe(worker.AuthService);
    expect(reexportConfig).toMatch(/^main = "src\/index.ts"$/m);
    // Every binding, class and migration the Worker's own wrangler.toml declares, so that the example cannot fall behind.
    const names = (toml: string, pattern: RegExp) => [...toml.matchAll(pattern)].map((m) => m[1]).sort();
    for (const pattern of [/^name = "([A-Z_]+)"$/gm, /^class_name = "(\w+)"$/gm, /^tag = "(\w+)"$/gm]) {
      expect(names(reexportConfig, pattern)).toEqual(names(rootConfig, pattern));
    }
    expect(names(rootConfig, /^class_name = "(\w+)"$/gm)).toEqual(["AccountLimiter", "SmsBudget"]);
    expect(reexport.AccountLimiter).toBe(worker.AccountLimiter);
    expect(reexport.SmsBudget).toBe(worker.SmsBudget);
  });

  it("answers /health and signs in at /auth/login", async () => {
    const user = await registeredUser();
    const call = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("CF-Connecting-IP", randomIpv6());
      const ctx = createExecutionContext();
      const res = await reexport.default.fetch(new Request(`https://auth.acme.example${path}`, { ...init, headers }), workerEnv(), ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    expect((await call("/health")).status).toBe(200);
    const login = await call("/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(user) });
    expect(login.status).toBe(200);
  });
});
