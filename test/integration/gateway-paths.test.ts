// The gateway's path handling against the encodings an attacker would try: the
// path checked (own route? public?) is the path forwarded, and a path that a
// server could read another way after decoding is refused.
import { describe, expect, it } from "vitest";
import { testIssuer } from "../support/tokens";
import { expectProblem, send } from "../support/worker";

interface Echo {
  url: string;
  headers: Record<string, string>;
}

async function gatewayEnv() {
  const issuer = await testIssuer();
  return { issuer, env: { ...issuer.env, PUBLIC_PATHS: "/public" } };
}

describe("gateway paths", () => {
  it.each([
    ["an encoded slash", "/public/..%2Fprivate"],
    ["a lower-case encoded slash", "/public/..%2fprivate"],
    ["encoded dots and slash", "/public/%2E%2E%2Fprivate"],
    ["mixed-case encoded dots and slash", "/public/%2e%2E%2fprivate"],
    ["a half-encoded dot segment and slash", "/public/.%2E%2Fprivate"],
    ["an encoded backslash", "/public/..%5Cprivate"],
    ["a lower-case encoded backslash", "/public/..%5cprivate"],
    ["encoded dots and backslash", "/public/%2E%2E%5Cprivate"],
    ["a double-encoded slash", "/public/..%252Fprivate"],
    ["double-encoded dots", "/public/%252E%252E/private"],
    ["a double-encoded own prefix", "/%2561uth/me"],
    ["an encoded slash after the prefix", "/public%2F..%2Fprivate"],
    ["an encoded NUL", "/public/x%00.json"],
    ["an encoded line feed", "/public/a%0Ab"],
    ["a malformed escape", "/public/100%"],
    ["invalid UTF-8", "/public/%C3%28"],
    ["a path parameter past the public prefix", "/public/..;/admin-api"],
    ["a path parameter on the prefix", "/public;x=1/catalog"],
    ["an encoded path parameter", "/public/..%3B/admin-api"],
    ["a lower-case encoded path parameter", "/public/..%3b/admin-api"],
    ["a double-encoded path parameter", "/public/..%253B/admin-api"],
    ["a path parameter on the last segment", "/public/catalog;jsessionid=1"],
  ])("refuses a path with %s: 400 validation_failed, nothing forwarded", async (_case, path) => {
    const { issuer, env } = await gatewayEnv();
    const withToken: Record<string, string>[] = [{}, { Authorization: `Bearer ${await issuer.sign()}` }];
    for (const headers of withToken) {
      const res = await send(path, { headers, env });
      expect(res.headers.get("X-Upstream")).toBeNull();
      await expectProblem(res, 400, "validation_failed");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    }
  });

  it.each([
    ["dot segments", "/public/../private"],
    ["encoded dot segments", "/public/%2E%2E/private"],
    ["backslashes", "/public\\..\\private"],
    ["an upper-case prefix", "/PUBLIC/catalog"],
    ["a look-alike prefix", "/public.json"],
  ])("resolves %s before deciding: the token is still required", async (_case, path) => {
    const { env } = await gatewayEnv();
    const res = await send(path, { env });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("X-Upstream")).toBeNull();
  });

  it.each([
    ["/public/./catalog", "/public/catalog"],
    ["//public//catalog/", "/public/catalog/"],
    ["/%70ublic/%63atalog", "/public/catalog"],
    ["/public/private/../catalog", "/public/catalog"],
  ])("forwards %s on PUBLIC_PATHS as the path it was checked as, %s", async (path, forwarded) => {
    const { env } = await gatewayEnv();
    const res = await send(`${path}?q=%2F..`, { env });
    expect(res.status).toBe(200);
    const url = new URL(((await res.json()) as Echo).url);
    expect(url.pathname + url.search).toBe(`${forwarded}?q=%2F..`);
  });

  it("forwards decoded characters a path may hold, escaping only what a URL cannot carry", async () => {
    const { issuer, env } = await gatewayEnv();
    const res = await send("/api/caf%C3%A9/a%40b/%3F%23%25/x%20y", { token: await issuer.sign(), env });
    expect(res.status).toBe(200);
    expect(new URL(((await res.json()) as Echo).url).pathname).toBe("/api/caf%C3%A9/a@b/%3F%23%25/x%20y");
  });

  it.each([
    ["//health", "a doubled slash"],
    ["/%68ealth", "an encoded letter"],
    ["/./health", "a dot segment"],
  ])("answers the Worker's own %s (%s) itself, never forwarding it", async (path) => {
    const { issuer, env } = await gatewayEnv();
    const res = await send(path, { token: await issuer.sign(), env });
    expect(res.headers.get("X-Upstream")).toBeNull();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("ok");
  });

  it("routes an encoded own prefix to the Worker's route, with its own checks", async () => {
    const { issuer, env } = await gatewayEnv();
    const res = await send("//%61dmin/users", { token: await issuer.sign(), env });
    expect(res.headers.get("X-Upstream")).toBeNull();
    await expectProblem(res, 403, "forbidden");
  });

  it("refuses an own route hidden behind an encoded slash instead of forwarding it", async () => {
    const { issuer, env } = await gatewayEnv();
    for (const path of ["/auth%2Fme", "/api/..%2Fauth/me", "/health%2F"]) {
      const res = await send(path, { token: await issuer.sign(), env });
      expect(res.headers.get("X-Upstream")).toBeNull();
      await expectProblem(res, 400, "validation_failed");
    }
  });
});
