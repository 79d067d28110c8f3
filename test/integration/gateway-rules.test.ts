// GATEWAY_RULES: requirements per prefix and method, and the attacks on them.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { parseRules } from "../../src/gateway/rule-syntax";
import { compileRules } from "../../src/gateway/rules";
import { testIssuer } from "../support/tokens";
import { expectProblem, send } from "../support/worker";

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
}

const RULES = `
  # the API's rules
  /public public
  /api scope=api/read
  /api/admin group=admin
  POST,PATCH /orders group=clerks
  /orders signed-in
  /reports signed-in -> TEST_UPSTREAM_B
`;

async function rulesEnv(extra: Record<string, unknown> = {}) {
  const issuer = await testIssuer();
  return { issuer, env: { ...issuer.env, GATEWAY_RULES: RULES, TEST_UPSTREAM_B: env.TEST_UPSTREAM_B, ...extra } };
}

const forwardedPath = async (res: Response) => new URL(((await res.json()) as Echo).url).pathname;

describe("gateway rules", () => {
  it("forwards a public prefix without a token, and needs one elsewhere", async () => {
    const { env } = await rulesEnv();
    const open = await send("/public/catalog", { env });
    expect(open.status).toBe(200);
    await expectProblem(await send("/elsewhere", { env }), 401, "unauthorized");
  });

  it("answers a missing scope with 403 and RFC 6750's insufficient_scope challenge naming the scope", async () => {
    const { issuer, env } = await rulesEnv();
    const res = await send("/api/items", { token: await issuer.sign({ scope: "api/write" }), env });
    await expectProblem(res, 403, "forbidden");
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge", error="insufficient_scope", scope="api/read"');
    expect(res.headers.get("X-Upstream")).toBeNull();
    const ok = await send("/api/items", { token: await issuer.sign({ scope: "api/write api/read" }), env });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Echo).headers["x-auth-scope"]).toBe("api/write api/read");
  });

  it("answers a missing group with 403 forbidden, without a challenge; the longest prefix wins", async () => {
    const { issuer, env } = await rulesEnv();
    const reader = await issuer.sign({ scope: "api/read" });
    const res = await send("/api/admin/users", { token: reader, env });
    await expectProblem(res, 403, "forbidden");
    expect(res.headers.get("WWW-Authenticate")).toBeNull();
    // The longer prefix alone decides: its group, not the shorter one's scope.
    const admin = await issuer.sign({ scope: "", "cognito:groups": ["admin"] });
    expect((await send("/api/admin/users", { token: admin, env })).status).toBe(200);
    await expectProblem(await send("/api/other", { token: admin, env }), 403, "forbidden");
  });

  it("applies a method's rule to that method only", async () => {
    const { issuer, env } = await rulesEnv();
    const token = await issuer.sign();
    expect((await send("/orders/7", { token, env })).status).toBe(200);
    await expectProblem(await send("/orders/7", { method: "POST", token, env }), 403, "forbidden");
    await expectProblem(await send("/orders/7", { method: "PATCH", token, env }), 403, "forbidden");
    const clerk = await issuer.sign({ "cognito:groups": ["clerks"] });
    const res = await send("/orders/7", { method: "PATCH", token: clerk, env });
    expect(((await res.json()) as Echo).method).toBe("PATCH");
  });

  it.each([
    ["an encoded slash", "/api%2Fadmin/users", 400, "validation_failed"],
    ["an upper-case prefix", "/API/Admin/users", 403, "forbidden"],
    ["a doubled slash", "//api//admin/users", 403, "forbidden"],
    ["a dot segment", "/public/../api/admin/users", 403, "forbidden"],
    ["an encoded letter", "/api/%61dmin/users", 403, "forbidden"],
    ["a trailing slash", "/api/admin/", 403, "forbidden"],
    ["a path parameter", "/api/admin;x=1/users", 400, "validation_failed"],
  ])("is not bypassed by %s", async (_case, path, status, code) => {
    const { issuer, env } = await rulesEnv();
    const res = await send(path, { token: await issuer.sign({ scope: "api/read" }), env });
    await expectProblem(res, status, code);
    expect(res.headers.get("X-Upstream")).toBeNull();
  });

  it("matches on segment boundaries and forwards the path it matched", async () => {
    const { env } = await rulesEnv();
    // `/public` does not cover `/publicity`, and `/api/admin/../../public` is `/public`, forwarded as such.
    await expectProblem(await send("/publicity", { env }), 401, "unauthorized");
    const res = await send("/api/admin/../../public/x", { env });
    expect(res.status).toBe(200);
    expect(await forwardedPath(res)).toBe("/public/x");
  });

  it("keeps PUBLIC_PATHS as public rules beside GATEWAY_RULES, in their own case only", async () => {
    const { issuer, env } = await rulesEnv({ PUBLIC_PATHS: "/status,/docs-api" });
    expect((await send("/status/health", { env })).status).toBe(200);
    await expectProblem(await send("/STATUS/health", { env }), 401, "unauthorized");
    expect((await send("/api/x", { token: await issuer.sign({ scope: "api/read" }), env })).status).toBe(200);
  });

  it("forwards to the upstream a rule names, the rest to UPSTREAM", async () => {
    const { issuer, env } = await rulesEnv();
    const token = await issuer.sign();
    const named = await send("/reports/q1", { token, env });
    expect(named.headers.get("X-Upstream")).toBe("b");
    expect(((await named.json()) as Echo).headers["x-auth-kind"]).toBe("user");
    expect((await send("/orders", { token, env })).headers.get("X-Upstream")).toBe("echo");
  });

  it("answers paths no rule forwards with 404 when UPSTREAM is not bound", async () => {
    const { issuer, env } = await rulesEnv({ UPSTREAM: undefined });
    const token = await issuer.sign();
    expect((await send("/reports/q1", { token, env })).headers.get("X-Upstream")).toBe("b");
    await expectProblem(await send("/orders", { token, env }), 404, "not_found");
  });
});

describe("gateway rules that do not parse", () => {
  it.each([
    ["an unknown term", "/api admin"],
    ["an http origin", "/api signed-in -> http://api.example.com"],
    ["an unbound upstream", "/api signed-in -> NOT_BOUND"],
    ["a binding that is no service", "/api signed-in -> COGNITO_CLIENT_ID"],
    ["two rules for one prefix", "/api signed-in\n/API public"],
    ["a rule on a PUBLIC_PATHS prefix", "/status signed-in"],
    ["a rule under the Worker's /auth, which never applies", "/api signed-in\n/auth/login public"],
    ["a rule on the Worker's /docs", "/docs signed-in"],
    ["a rule on the assertion keys' path", "/.well-known/jwks.json public"],
  ])("fail the gateway alone with %s: 500, every other route answers", async (_case, rules) => {
    const issuer = await testIssuer();
    const bad = { ...issuer.env, GATEWAY_RULES: rules, PUBLIC_PATHS: "/status" };
    await expectProblem(await send("/api/x", { token: await issuer.sign(), env: bad }), 500, "internal_error");
    await expectProblem(await send("/anything", { env: bad }), 500, "internal_error");
    const health = await send("/health", { env: bad });
    expect(health.status).toBe(200);
    expect(((await health.json()) as { features: { gateway: boolean } }).features.gateway).toBe(true);
    await expectProblem(await send("/auth/me", { env: bad }), 401, "unauthorized");
  });

  it("take rules beside the Worker's own paths (other /.well-known paths, /authors)", async () => {
    const issuer = await testIssuer();
    const env = { ...issuer.env, GATEWAY_RULES: "/.well-known public\n/authors public\n/Auth public" };
    expect((await send("/.well-known/security.txt", { env })).status).toBe(200);
    expect((await send("/authors/x", { env })).status).toBe(200);
  });

  it("fail with a malformed PUBLIC_PATHS entry as well", async () => {
    const issuer = await testIssuer();
    const bad = { ...issuer.env, PUBLIC_PATHS: "/a//b" };
    await expectProblem(await send("/a/b", { env: bad }), 500, "internal_error");
  });
});

describe("the README's rule set", () => {
  it("parses and compiles, and means what the README says", () => {
    const block = /GATEWAY_RULES = """\n([\s\S]*?)"""/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const rules = compileRules(parseRules(String(block)));
    expect(rules.match("GET", "/catalog/shoes")?.public).toBe(true);
    expect(rules.match("GET", "/orders/7")?.scopes).toEqual(["orders/read"]);
    expect(rules.match("DELETE", "/orders/7")?.groups).toEqual(["clerks"]);
    expect(rules.match("GET", "/jobs/1")?.upstream).toBe("JOBS");
    expect(rules.match("GET", "/legacy")?.upstream).toBe("https://legacy.example.com");
  });
});
