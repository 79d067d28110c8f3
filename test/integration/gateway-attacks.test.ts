// Attacks on the gateway's rules and forwarding that reach an upstream under another name, method
// or cache entry than the rule meant (issue 22's adversarial review).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { testIssuer } from "../support/tokens";
import { expectProblem, send } from "../support/worker";

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
}

async function rulesEnv(rules: string) {
  const issuer = await testIssuer();
  return { issuer, env: { ...issuer.env, GATEWAY_RULES: rules, TEST_UPSTREAM_B: env.TEST_UPSTREAM_B } };
}

describe("gateway: a protected prefix under a name the upstream routes as it", () => {
  // Rails routes `/internal(.:format)`, Spring MVC < 5.3 `/internal.*`, IIS drops trailing dots and spaces.
  it.each([
    ["a format suffix (Rails, Spring < 5.3)", "/internal.json"],
    ["a trailing dot (IIS)", "/internal."],
    ["a trailing space (IIS)", "/internal%20"],
  ])("keeps /internal's group rule on %s", async (_case, path) => {
    const { issuer, env } = await rulesEnv("/ public\n/internal group=admin");
    await expectProblem(await send(path, { env }), 401, "unauthorized");
    await expectProblem(await send(path, { token: await issuer.sign(), env }), 403, "forbidden");
    expect((await send(path, { token: await issuer.sign({ "cognito:groups": ["admin"] }), env })).status).toBe(200);
  });

  it("keeps POST /orders.json (Rails: orders#create) to clerks, as docs/API.md's example rules mean", async () => {
    const { issuer, env } = await rulesEnv("/catalog public\n/orders scope=orders/read\nPOST,DELETE /orders group=clerks");
    const token = await issuer.sign({ scope: "" });
    await expectProblem(await send("/orders", { method: "POST", token, env }), 403, "forbidden");
    await expectProblem(await send("/orders.json", { method: "POST", token, env, body: "{}" }), 403, "forbidden");
  });

  it("gives a public rule's suffixed name no public access", async () => {
    const { env } = await rulesEnv("/catalog public");
    expect((await send("/catalog", { env })).status).toBe(200);
    await expectProblem(await send("/catalog.json", { env }), 401, "unauthorized");
  });
});

describe("gateway: headers that make the upstream act on another method or path than the rule matched", () => {
  it.each(["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "x_http_method_override"])(
    "does not forward %s (POST checked as POST, run as DELETE by method-override middleware)",
    async (name) => {
      const { issuer, env } = await rulesEnv("DELETE /orders group=clerks\n/orders signed-in");
      const token = await issuer.sign();
      await expectProblem(await send("/orders/7", { method: "DELETE", token, env }), 403, "forbidden");
      const res = await send("/orders/7", { method: "POST", token, env, headers: { [name]: "DELETE" } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Echo).headers[name.toLowerCase()], `${name} reached the upstream`).toBeUndefined();
    },
  );

  it.each(["X-Original-URL", "X-Rewrite-URL", "X-Original-URI"])("does not forward %s on a public path (IIS, Symfony < 5 route on it)", async (name) => {
    const { env } = await rulesEnv("/public public\n/internal group=admin");
    const res = await send("/public/x", { env, headers: { [name]: "/internal/users" } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).headers[name.toLowerCase()], `${name} reached the upstream`).toBeUndefined();
  });

  it("forwards no client-made client IP, and Cloudflare's CF-Connecting-IP as it is", async () => {
    const { env } = await rulesEnv("/public public");
    const forged = { "X-Real-IP": "10.0.0.1", "True-Client-IP": "10.0.0.1", "X-Client-IP": "10.0.0.1", "CF-Connecting-IP": "203.0.113.7" };
    const { headers } = (await (await send("/public/x", { env, headers: forged })).json()) as Echo;
    for (const name of ["x-real-ip", "true-client-ip", "x-client-ip"]) expect(headers[name], name).toBeUndefined();
    expect(headers["cf-connecting-ip"]).toBe("203.0.113.7");
  });
});

describe("gateway: methods a protected prefix's rules do not list", () => {
  const RULES = "/ public\nGET,POST,PUT,PATCH,DELETE /internal group=admin";

  it.each(["OPTIONS", "PROPFIND", "MKCOL"])("refuses %s /internal/users (403), never the public root rule's", async (method) => {
    const { issuer, env } = await rulesEnv(RULES);
    await expectProblem(await send("/internal/users", { method, env }), 403, "forbidden");
    const admin = await issuer.sign({ "cognito:groups": ["admin"] });
    await expectProblem(await send("/internal/users", { method, token: admin, env }), 403, "forbidden");
  });

  it("still lets HEAD follow GET's rule, and answers a CORS preflight itself", async () => {
    const { issuer, env } = await rulesEnv(RULES);
    expect((await send("/internal/users", { method: "HEAD", token: await issuer.sign({ "cognito:groups": ["admin"] }), env })).status).toBe(200);
    expect((await send("/internal/users", { method: "HEAD", env })).status).toBe(401);
    const preflight = await send("/internal/users", {
      method: "OPTIONS",
      env,
      headers: { Origin: "https://app.example.com", "Access-Control-Request-Method": "PUT" },
    });
    expect(preflight.status).toBe(204);
  });
});
