// What the walk proves of browser sessions (SESSION_MODE=browser): no answer
// the page saw, no cookie or storage a script can read, and nothing a script
// injected into the page can fetch holds a token. Tokens are counted, never
// printed: a failure must not put one into the report.
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";

/**
 * A token's shape: a JWT or JWE (Cognito's access, ID and refresh tokens: a
 * base64url JSON header, `eyJ…`, then a dot) or our sealed refresh token
 * (`ce2.…`, and any other version of it).
 */
const TOKEN = /eyJ[\w-]+\.[\w-]*|\bce\d\.[\w-]+/g;

/** How many token-shaped strings `texts` hold. */
export const countTokens = (texts: string[]): number => texts.reduce((n, text) => n + (text.match(TOKEN)?.length ?? 0), 0);

/** Keeps the text of every answer the page receives (JSON, HTML, scripts, problem+json; not images). */
export function keepAnswers(page: Page): string[] {
  const texts: string[] = [];
  page.on("response", async (res) => {
    if (/json|text|javascript/.test(res.headers()["content-type"] ?? "")) texts.push(await res.text().catch(() => ""));
  });
  return texts;
}

/** `document.cookie`, localStorage and sessionStorage hold nothing, every cookie is HttpOnly, and no answer so far held a token. */
export async function expectNoTokenReadable(page: Page, context: BrowserContext, answers: string[]): Promise<void> {
  // Strings evaluated in the page, where `document` exists (these files are typed for Node).
  expect(await page.evaluate("document.cookie")).toBe("");
  expect(await page.evaluate("JSON.stringify([{ ...localStorage }, { ...sessionStorage }])")).toBe("[{},{}]");
  const cookies = (await context.cookies()).map(({ name, httpOnly, secure, sameSite }) => ({ name, httpOnly, secure, sameSite }));
  for (const cookie of cookies) expect(cookie).toEqual({ name: cookie.name, httpOnly: true, secure: true, sameSite: "Strict" });
  expect(answers.length).toBeGreaterThan(0);
  expect(countTokens(answers), "token-shaped strings in the answers the page saw").toBe(0);
}

/** What the test upstream received (it echoes the request), with the profile's `sub`. */
export interface Forwarded {
  status: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  sub: string;
}

/** A call of the page's own client (the module the demo imports) to a gateway `path`, as the app's code calls its API. */
export const gatewayFromPage = async (page: Page, path: string): Promise<Forwarded> =>
  page.evaluate(`(async () => {
    const { CognitoEdgeClient } = await import("/app/client.js");
    const client = new CognitoEdgeClient({ delivery: "session" });
    const res = await client.fetch(${JSON.stringify(path)});
    return { status: res.status, ...(await res.json()), sub: (await client.me()).sub };
  })()`);

/** The upstream got the request at `path` with the caller's identity, and no token: no Authorization, none of the Worker's cookies. */
export function expectForwardedAsUser(forwarded: Forwarded, path: string): void {
  expect(forwarded).toMatchObject({ status: 200, method: "GET" });
  expect(new URL(forwarded.url).pathname + new URL(forwarded.url).search).toBe(path);
  expect(forwarded.headers).toMatchObject({ "x-auth-sub": forwarded.sub, "x-auth-kind": "user" });
  expect(forwarded.headers).not.toHaveProperty("authorization");
  expect(forwarded.headers.cookie ?? "").not.toMatch(/__Host-/);
}

/** An injected script (injectedScript) acted within `email`'s session, and nothing it could read held a token. */
export function expectNothingObtained(got: Injected, email: string): void {
  expect(got.statuses).toEqual({ me: 200, refresh: 200, gateway: 200, login: 200, loginWithoutCookies: 200, xhr: 200 });
  expect(got.email).toBe(email);
  expect(got.cookie).toBe("");
  expect(got.forwarded).not.toHaveProperty("authorization");
  expect(got.texts).toHaveLength(12);
  expect(countTokens(got.texts), "token-shaped strings the injected script could read").toBe(0);
}

/** What an injected script got: statuses, the profile's email, the upstream's echo, everything it could read. */
export interface Injected {
  statuses: Record<string, number>;
  email: string;
  forwarded: Record<string, string>;
  cookie: string;
  texts: string[];
}

/**
 * An attacker's script run in the page (XSS), acting within the session as far
 * as it can: it reads the profile, asks for a refresh with the cookie, calls
 * the gateway, signs in again with the password (with and without the
 * cookies), and reads every header an XMLHttpRequest shows. It returns all it
 * could read, to be searched for tokens.
 */
export const injectedScript = (page: Page, email: string, password: string): Promise<Injected> =>
  page.evaluate(
    `(async () => {
      const texts = [];
      const statuses = {};
      const call = async (name, path, init = {}) => {
        const res = await fetch(path, { credentials: "include", ...init });
        const text = await res.text();
        texts.push(text, JSON.stringify([...res.headers]));
        statuses[name] = res.status;
        return text;
      };
      const json = (body) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const me = JSON.parse(await call("me", "/auth/me"));
      await call("refresh", "/auth/refresh", json({}));
      const echo = JSON.parse(await call("gateway", "/api/injected"));
      await call("login", "/auth/login", json(${JSON.stringify({ email, password })}));
      await call("loginWithoutCookies", "/auth/login", { ...json(${JSON.stringify({ email, password })}), credentials: "omit" });
      const xhr = new XMLHttpRequest();
      xhr.open("GET", "/auth/me");
      await new Promise((done) => { xhr.onloadend = done; xhr.send(); });
      texts.push(xhr.getAllResponseHeaders(), xhr.responseText);
      statuses.xhr = xhr.status;
      return { statuses, email: me.email, forwarded: echo.headers, cookie: document.cookie, texts };
    })()`,
  );
