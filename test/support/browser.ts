// A browser's side of SESSION_MODE=browser: the Worker under that setting,
// a cookie jar, and what a session answer must (and must not) hold.
import { expect } from "vitest";
import { ORIGIN, registeredUser, type SendOptions, send } from "./worker";

/** Env overrides that turn the browser session mode on. */
export const BROWSER = { SESSION_MODE: "browser" };
export const SESSION_COOKIE = "__Host-edge-session";
export const REFRESH_COOKIE = "__Host-refresh";

/** A Cookie header from the cookies an answer set (expired ones dropped), over `base` (a Cookie header). */
export function jar(res: Response, base = ""): string {
  const cookies = new Map(
    base
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const),
  );
  for (const set of res.headers.getSetCookie()) {
    const pair = set.split(";", 1)[0];
    const name = pair.slice(0, pair.indexOf("="));
    if (/Max-Age=0(;|$)/.test(set)) cookies.delete(name);
    else cookies.set(name, pair);
  }
  return [...cookies.values()].join("; ");
}

/** A request from the app's page: its Origin and the cookie header `cookie`, under SESSION_MODE=browser (and `options.env`). */
export const fromPage = (path: string, cookie: string, options: SendOptions = {}) =>
  send(path, { ...options, headers: { Origin: ORIGIN, Cookie: cookie, ...options.headers }, env: { ...BROWSER, ...options.env } });

/** Asserts a session answer: both cookies set as docs/API.md says, a body without any token; returns the body. */
export async function expectSession(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  const cookies = res.headers.getSetCookie();
  expect(cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(
    /^__Host-edge-session=[\w-]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
  );
  const text = await res.text();
  // No JWT (eyJ…) and no refresh token of ours (ce2.…) anywhere in the body.
  expect(text).not.toMatch(/eyJ|ce2\./);
  const body = JSON.parse(text) as Record<string, unknown>;
  for (const field of ["accessToken", "idToken", "refreshToken", "tokenType", "expiresIn"]) expect(body).not.toHaveProperty(field);
  expect(body).toMatchObject({ sub: expect.any(String), groups: expect.any(Array), expiresAt: expect.any(String) });
  expect(Date.parse(String(body.expiresAt))).toBeGreaterThan(Date.now());
  return body;
}

/** A verified user signed in from the app's page; `cookie`: the browser's Cookie header after it. */
export async function browserUser(env: Record<string, unknown> = {}) {
  const user = await registeredUser();
  const res = await fromPage("/auth/login", "", { json: { email: user.email, password: user.password }, env });
  const body = await expectSession(res);
  return { ...user, body, cookie: jar(res) };
}
