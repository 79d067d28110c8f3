// Drives the whole Worker inside workerd, as a client would.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import "./provided";
import worker from "../../src/index";
import { totp } from "./totp";

import { PASSWORD } from "./secrets";

export { NEW_PASSWORD, PASSWORD } from "./secrets";
export const ORIGIN = "https://app.example.com";
export const isSecretClient = () => env.TEST_CLIENT_KIND === "secret";

export interface SendOptions {
  method?: string;
  json?: unknown;
  body?: BodyInit;
  token?: string;
  headers?: Record<string, string>;
  /** Env overrides: the same Worker under another configuration. */
  env?: Partial<Record<string, unknown>>;
}

const envs = new Map<string, Env>();
const ids = new WeakMap<object, number>();
let lastId = 0;
/** Bindings (KV, services) told apart by identity. */
function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = ++lastId));
  return id;
}

/**
 * The env of the Worker under `overrides`: one object per configuration, as
 * workerd hands every request of an isolate the same env. What the Worker holds
 * per env (its Config, and its token verifier with the JWKS, verified tokens
 * and Cognito's verdicts) so lives across requests, as it does in production.
 */
export function workerEnv(overrides: Partial<Record<string, unknown>> = {}): Env {
  const key = JSON.stringify(
    Object.entries(overrides).map(([name, v]) => [name, typeof v, (typeof v === "object" || typeof v === "function") && v !== null ? idOf(v) : String(v)]),
  );
  let bound = envs.get(key);
  if (!bound) {
    bound = { ...env, ...overrides } as Env;
    envs.set(key, bound);
  }
  return bound;
}

/** Sends one request through the Worker's fetch handler: `path` on https://edge.example.com, or a whole https URL. */
export async function send(path: string, options: SendOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  // Each request from its own client unless a test says otherwise: per-IP limits are tested on their own.
  if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", randomIpv6());
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  if (options.token !== undefined) headers.set("Authorization", `Bearer ${options.token}`);
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  // A path on the Worker's usual host, or a whole URL for another host routed to it.
  const url = /^https:\/\//.test(path) ? path : `https://edge.example.com${path}`;
  const request = new Request(url, { method, headers, body });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, workerEnv(options.env), ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** An address in a /64 of its own (per-IP limits count IPv6 clients per /64). */
export const randomIpv6 = () => `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}::1`;

/** Asserts a problem+json answer with `status` and `code`; returns the body. */
export async function expectProblem(res: Response, status: number, code: string) {
  const body = (await res.json()) as Record<string, unknown>;
  expect({ status: res.status, code: body.code }).toEqual({ status, code });
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  expect(body.status).toBe(status);
  expect(res.headers.get("X-Request-Id")).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
  return body;
}

export const newEmail = (tag = "user") => `${tag}-${crypto.randomUUID()}@example.com`;

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
}

/** Asserts a tokens answer (docs/API.md) with no-store; returns its body. */
export async function expectTokens(res: Response, options: { refreshToken: boolean }) {
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toEqual({
    accessToken: expect.any(String),
    idToken: expect.any(String),
    expiresIn: expect.any(Number),
    tokenType: "Bearer",
    ...(options.refreshToken ? { refreshToken: expect.stringMatching(/^ce2\./) } : {}),
  });
  return body;
}

/** Registers and (by default) verifies a fresh user. */
export async function registeredUser(options: { verify?: boolean; password?: string } = {}) {
  const email = newEmail();
  const password = options.password ?? PASSWORD;
  const res = await send("/auth/register", { json: { email, password, name: "Test User" } });
  expect(res.status).toBe(201);
  if (options.verify !== false) {
    const verified = await send("/auth/verify", { json: { email, code: await lastCode(email) } });
    expect(verified.status).toBe(200);
  }
  return { email, password };
}

/** The last code the stand-in sent to an email address or phone number; undefined when none was. */
export async function sentCode(to: string): Promise<string | undefined> {
  const res = await strictControl(`/__codes?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { code: string | null }).code ?? undefined;
}

/** The last code the stand-in sent to an email address or phone number (one must have been sent). */
export async function lastCode(to: string): Promise<string> {
  const code = await sentCode(to);
  expect(code, "a code was sent").toBeDefined();
  return String(code);
}

/** A verified user with fresh tokens (body delivery is on in the test projects). */
export async function signedInUser() {
  const user = await registeredUser();
  const res = await send("/auth/login", { json: { email: user.email, password: user.password } });
  expect(res.status).toBe(200);
  return { ...user, tokens: (await res.json()) as Tokens };
}

/** The strict Cognito layer's control API (faults, calls). */
export async function strictControl(path: string, init?: RequestInit): Promise<Response> {
  const base = inject("cognito").endpoint.replace(/\/$/, "");
  return fetch(`${base}${path}`, init);
}

/**
 * Makes the strict Cognito layer fail the next `times` calls of `op` for `username` of this project's client
 * (or of `clientId`); kind "error" answers the Cognito error `type` with `message`. `answer` narrows it to the
 * choice-based sign-in call that asks for that first factor (PREFERRED_CHALLENGE, or SELECT_CHALLENGE's ANSWER),
 * e.g. "EMAIL_OTP" for the call that sends the code.
 */
export async function injectFault(fault: {
  op: string;
  username?: string;
  clientId?: string;
  answer?: string;
  kind: string;
  type?: string;
  message?: string;
  times?: number;
}) {
  const res = await strictControl("/__faults", {
    method: "POST",
    body: JSON.stringify({ clientId: env.COGNITO_CLIENT_ID, times: 1, ...fault }),
  });
  expect(res.status).toBe(200);
}

/** Reads one cookie's attributes from Set-Cookie. */
export function setCookie(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** A signed-in user in the pool's ADMIN_GROUP (put there through the strict layer's setup hook). */
export async function adminUser() {
  const user = await registeredUser();
  const res = await strictControl("/__group", {
    method: "POST",
    body: JSON.stringify({ poolId: env.COGNITO_USER_POOL_ID, username: await cognitoUsername(user.email), group: "admin" }),
  });
  expect(res.status).toBe(200);
  const login = await send("/auth/login", { json: { email: user.email, password: user.password } });
  expect(login.status).toBe(200);
  return { ...user, tokens: (await login.json()) as Tokens };
}

/** The Cognito username (the sub, in email pools) of a registered email. */
async function cognitoUsername(email: string): Promise<string> {
  const login = await send("/auth/login", { json: { email, password: PASSWORD } });
  const { accessToken } = (await login.json()) as Tokens;
  return String(JSON.parse(atob(accessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).username);
}

/** The payload of a JWT, unverified (the test reads what the Worker handed out). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
}

/** Env overrides that bind the gateway's upstream and the REVOCATIONS namespace. */
export const withKv = () => ({ UPSTREAM: env.TEST_UPSTREAM, REVOCATIONS: env.TEST_REVOCATIONS });

/** Signs in again; returns the tokens (asserting 200). */
export async function login(email: string, password: string, options: SendOptions = {}): Promise<Tokens> {
  const res = await send("/auth/login", { ...options, json: { email, password } });
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
}

/** POST /auth/refresh with a refresh token in the body. */
export const refresh = (refreshToken: string, options: SendOptions = {}) =>
  send("/auth/refresh", { ...options, json: { refreshToken } });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the machine's clock (Cognito's and the Worker's) is past `unixSeconds`, by a few milliseconds. */
export async function untilPast(unixSeconds: number): Promise<void> {
  const left = unixSeconds * 1000 + 20 - Date.now();
  if (left > 0) await sleep(left);
}

/**
 * Waits until the sign-in `token` tells of (its `auth_time`, whole seconds by
 * Cognito's clock) is more than `seconds` old by the Worker's clock: the
 * step-up tests' older, stolen token, after a wait no longer than that (a fixed
 * sleep would have to allow for the rounding). By then Cognito's clock has
 * passed that second too.
 */
export async function untilSignInOlderThan(token: string, seconds: number): Promise<void> {
  const authTime = Number(claimsOf(token).auth_time);
  expect(authTime).toBeGreaterThan(0);
  await untilPast(authTime + seconds);
}

/** Sets up and enables TOTP for the signed-in user; returns its secret. */
export async function enableTotp(accessToken: string) {
  const setup = await send("/auth/mfa/totp/setup", { method: "POST", token: accessToken });
  expect(setup.status).toBe(200);
  const { secret, otpauthUri } = (await setup.json()) as { secret: string; otpauthUri: string };
  const verify = await send("/auth/mfa/totp/verify", { token: accessToken, json: { code: await totp(secret), deviceName: "phone" } });
  expect(verify.status).toBe(204);
  return { secret, otpauthUri };
}

/**
 * A Cognito endpoint of the stand-in for one test's Worker: `env` points the
 * Worker at it, and `calls()` lists the operations that Worker called through
 * it, whatever other tests call at the same time.
 */
export function taggedCognito() {
  const tag = crypto.randomUUID();
  return {
    env: { COGNITO_ENDPOINT: `${inject("cognito").endpoint}__tag/${tag}/` },
    calls: async () => (await (await strictControl(`/__tagged?tag=${tag}`)).json()) as string[],
  };
}
