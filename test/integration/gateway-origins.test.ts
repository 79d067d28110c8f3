// An https origin as upstream (`-> https://...`). The origin is stood in for by
// the second echo Worker: the global fetch the Worker calls is replaced, for
// the origin's host only, by a call to that binding with the same request
// (headers, body and redirect mode), as an origin on the internet would get it.
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testIssuer } from "../support/tokens";
import { expectProblem, send } from "../support/worker";

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
}

const ORIGIN = "https://api.origin.example";
const DOWN = "https://down.origin.example";

/** The requests the Worker sent to the origins, as sent. */
function standInOrigins() {
  const sent: Request[] = [];
  const real = globalThis.fetch;
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.startsWith(`${DOWN}/`)) {
      sent.push(request);
      throw new TypeError("Network connection lost.");
    }
    if (!request.url.startsWith(`${ORIGIN}/`)) return real(input, init);
    sent.push(request.clone());
    return env.TEST_UPSTREAM_B.fetch(request);
  });
  return sent;
}

async function originEnv() {
  const issuer = await testIssuer();
  const rules = `/api signed-in -> ${ORIGIN}/\n/down signed-in -> ${DOWN}\n/public public -> ${ORIGIN}`;
  return { issuer, env: { ...issuer.env, GATEWAY_RULES: rules } };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("gateway to an https origin", () => {
  it("sends the canonical path, query, method, body and identity; strips what it strips for a binding", async () => {
    const sent = standInOrigins();
    const { issuer, env } = await originEnv();
    const token = await issuer.sign({ sub: "sub-o", "cognito:groups": ["g"] });
    const res = await send("/api//orders/./7?x=1", {
      method: "POST",
      body: "hello",
      headers: {
        Authorization: `Bearer ${token}`,
        Host: "edge.example.com",
        "X-Auth-Sub": "admin",
        Cookie: "__Host-refresh=x; theme=dark",
        "X-Forwarded-For": "1.2.3.4",
      },
      env,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Upstream")).toBe("b");
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe(`${ORIGIN}/api/orders/7?x=1`);
    expect(sent[0].redirect).toBe("manual");
    // Past Cloudflare's edge cache, whose key is the URL, not the identity: one user's answer would serve the next.
    expect(sent[0].cache).toBe("no-store");
    expect(await sent[0].text()).toBe("hello");
    const echo = (await res.json()) as Echo;
    expect(echo.method).toBe("POST");
    expect(echo.headers).toMatchObject({ "x-auth-sub": "sub-o", "x-auth-groups": "g", "x-auth-kind": "user", cookie: "theme=dark" });
    expect(echo.headers.authorization).toBeUndefined();
    expect(echo.headers["x-forwarded-for"]).toBeUndefined();
    // The origin's own host, not the Worker's.
    expect(sent[0].headers.get("Host")).toBeNull();
  });

  it("passes a redirect of the origin to the client instead of following it", async () => {
    const sent = standInOrigins();
    const { issuer, env } = await originEnv();
    const res = await send("/api/redirect", { token: await issuer.sign(), env });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("https://elsewhere.example/landing");
    expect(sent).toHaveLength(1);
  });

  it("answers 503 upstream_unavailable when the origin cannot be reached", async () => {
    const sent = standInOrigins();
    const { issuer, env } = await originEnv();
    await expectProblem(await send("/down/x", { token: await issuer.sign(), env }), 503, "upstream_unavailable");
    expect(sent).toHaveLength(1);
  });

  it("signs the assertion for the URL the origin gets, so that the origin checks htu against its own request", async () => {
    const sent = standInOrigins();
    const { issuer, env } = await originEnv();
    const token = await issuer.sign({ sub: "sub-o" });
    expect((await send("/api//orders/./7?x=1", { token, env })).status).toBe(200);
    const url = new URL(sent[0].url);
    expect(url.origin).toBe(ORIGIN);
    const claims = decodeJwt(sent[0].headers.get("X-Auth-Assertion") ?? "");
    expect(claims).toMatchObject({ htm: "GET", htu: `${ORIGIN}${url.pathname}`, iss: "https://edge.example.com", sub: "sub-o" });
  });
});
