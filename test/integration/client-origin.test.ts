// The typed client sends requests, and its bearer token, to the Worker's origin
// only: a path that resolves to another origin is refused before any request.
import { afterEach, describe, expect, it, vi } from "vitest";
import { CognitoEdgeClient } from "../../src/client";
import { BASE } from "../support/client";
import { registeredUser, send } from "../support/worker";

/** The page the client runs in when it has no baseUrl: one the Worker serves. */
const PAGE = `${BASE}/app/`;

/**
 * A fetch as a browser page has it: a relative URL resolves against the page.
 * Requests to the Worker's origin reach the Worker; any other is answered, as
 * an attacker's server would, and recorded with the token it was sent.
 */
function browserFetch() {
  const sent: { url: string; authorization: string | null }[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), PAGE);
    sent.push({ url: url.href, authorization: new Headers(init.headers).get("Authorization") });
    if (url.origin !== BASE) return new Response("stolen", { status: 200 });
    return send(url.href, { method: init.method, headers: Object.fromEntries(new Headers(init.headers)), body: init.body ?? undefined });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

async function signedInClient(baseUrl: string | undefined) {
  const { email, password } = await registeredUser();
  const browser = browserFetch();
  const box: { token: string | null } = { token: null };
  const client = new CognitoEdgeClient({
    baseUrl,
    delivery: "body",
    storage: { get: () => box.token, set: (token) => void (box.token = token) },
    fetch: browser.fetch,
  });
  await client.login({ email, password });
  expect(client.accessToken).toBeTruthy();
  browser.sent.length = 0;
  return { client, sent: browser.sent };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("typed client: the Worker's origin only", () => {
  const withoutBase = [
    "//evil.example/x",
    "https://evil.example/x",
    "\\\\evil.example/x",
    "/\\evil.example/x",
    "\\/evil.example/x",
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    " //evil.example/x",
    "http://edge.example.com/x",
    "javascript:alert(1)",
  ];
  const withBase = [
    "//evil.example/x",
    "https://evil.example/x",
    "\\\\evil.example/x",
    "/\\evil.example/x",
    "/\t/evil.example/x",
    "http://edge.example.com/x",
    "https://edge.example.com:8443/x",
  ];
  it.each([
    ["no baseUrl, in a page of the Worker,", undefined, withoutBase],
    ["an empty baseUrl, in a page of the Worker,", "", withoutBase],
    ["a baseUrl", BASE, withBase],
    ["a baseUrl with a slash", `${BASE}/`, withBase],
  ])("with %s refuses every path to another origin: throws, sends nothing", async (_case, baseUrl, paths) => {
    vi.stubGlobal("location", new URL(PAGE));
    const { client, sent } = await signedInClient(baseUrl);
    for (const path of paths) {
      await expect(client.fetch(path), JSON.stringify(path)).rejects.toBeInstanceOf(TypeError);
      expect(sent, JSON.stringify(path)).toEqual([]);
    }
  });

  // Concatenated to the base these led elsewhere (`https://edge.example.com.evil.example/x`,
  // `https://edge.example.com@evil.example/x`); resolved, they are paths of the Worker.
  // [path, resolved against the baseUrl, resolved against the page]
  const staying = [
    ["/api/x", "/api/x", "/api/x"],
    [".evil.example/x", "/.evil.example/x", "/app/.evil.example/x"],
    ["@evil.example/x", "/@evil.example/x", "/app/@evil.example/x"],
    [":443@evil.example/x", "/:443@evil.example/x", "/app/:443@evil.example/x"],
    ["%2F%2Fevil.example/x", "/%2F%2Fevil.example/x", "/app/%2F%2Fevil.example/x"],
    ["/%2Fevil.example/x", "/%2Fevil.example/x", "/%2Fevil.example/x"],
    ["%5C%5Cevil.example/x", "/%5C%5Cevil.example/x", "/app/%5C%5Cevil.example/x"],
    ["/%5C/evil.example/x", "/%5C/evil.example/x", "/%5C/evil.example/x"],
    [`${BASE}/api/x`, "/api/x", "/api/x"],
  ];
  it.each([
    ["a baseUrl", BASE],
    ["no baseUrl", undefined],
  ])("with %s sends paths that stay on the Worker's origin, encoded ones included, there", async (_case, baseUrl) => {
    vi.stubGlobal("location", new URL(PAGE));
    const { client, sent } = await signedInClient(baseUrl);
    for (const [path, againstBase, againstPage] of staying) {
      const pathname = baseUrl ? againstBase : againstPage;
      sent.length = 0;
      await client.fetch(path);
      expect(sent.map((s) => [new URL(s.url).origin, new URL(s.url).pathname])).toEqual([[BASE, pathname]]);
    }
  });

  it("refuses a path of no page at all (no baseUrl outside a browser)", async () => {
    const client = new CognitoEdgeClient({ delivery: "body", storage: { get: () => null, set: () => undefined }, fetch: browserFetch().fetch });
    await expect(client.health()).rejects.toBeInstanceOf(TypeError);
  });
});
