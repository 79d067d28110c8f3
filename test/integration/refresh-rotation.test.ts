// REFRESH_ROTATION=on, against app clients that rotate refresh tokens (the
// stand-in's GetTokensFromRefreshToken): a short grace period, which the stand-in
// runs out for one user on request (/__elapse) instead of the tests waiting for
// it, and a long one that outlasts every test that uses it.
import { env as base } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { EdgeKeys } from "../../src/seal/keys";
import { unwrapRefreshToken } from "../../src/session/refresh-token";
import {
  claimsOf,
  expectProblem,
  expectTokens,
  injectFault,
  isSecretClient,
  ORIGIN,
  refresh,
  registeredUser,
  send,
  setCookie,
  strictControl,
  type Tokens,
  withKv,
} from "../support/worker";

type Delivery = "cookie" | "body" | "both";

const SHORT_GRACE_S = 2;
const LONG_GRACE_S = 60;

/** The Worker's env for this project's kind of rotating client with `graceSeconds`. */
function rotating(graceSeconds: number, delivery: Delivery = "body") {
  const client = inject("cognito").rotatingClients.find(
    (c) => c.kind === (isSecretClient() ? "secret" : "public") && c.graceSeconds === graceSeconds,
  );
  if (!client) throw new Error(`no rotating client with a ${graceSeconds} s grace period`);
  return { COGNITO_CLIENT_ID: client.clientId, COGNITO_CLIENT_SECRET: client.clientSecret ?? "", REFRESH_ROTATION: "on", REFRESH_TOKEN_DELIVERY: delivery };
}

type Env = ReturnType<typeof rotating>;

/** The refresh cookie of an answer, as a browser would send it back. */
function cookieOf(res: Response): string {
  const cookie = setCookie(res, "__Host-refresh");
  expect(cookie).toBeDefined();
  return String(cookie).split(";")[0];
}

/** A new user signed in under `env`: the tokens answer and its refresh cookie, if any. */
async function signIn(env: Env) {
  const { email, password } = await registeredUser();
  const res = await send("/auth/login", { json: { email, password }, env });
  expect(res.status).toBe(200);
  const cookie = setCookie(res, "__Host-refresh") ? cookieOf(res) : undefined;
  return { tokens: (await res.json()) as Tokens, cookie };
}

/** POST /auth/refresh with the refresh cookie, from an allowed origin. */
const refreshByCookie = (cookie: string, env: Env) =>
  send("/auth/refresh", { method: "POST", headers: { Cookie: cookie, Origin: ORIGIN }, env });

/** Asserts a tokens answer with a (rotated) refresh token in the body; returns the tokens. */
async function rotated(res: Response): Promise<{ accessToken: string; refreshToken: string }> {
  const body = await expectTokens(res, { refreshToken: true });
  return { accessToken: String(body.accessToken), refreshToken: String(body.refreshToken) };
}

/**
 * Has the grace period of the user's replaced refresh tokens pass at the
 * stand-in, as `seconds` would for them alone (the real clock's run-out is
 * the stand-in's own test, strict-cognito/rotation.test.ts).
 */
async function elapse(accessToken: string, seconds: number) {
  const res = await strictControl("/__elapse", { method: "POST", body: JSON.stringify({ username: claimsOf(accessToken).username, seconds }) });
  expect(((await res.json()) as { moved: number }).moved).toBeGreaterThanOrEqual(1);
}

/** Refreshes with a body token; returns the new tokens. */
const rotate = async (refreshToken: string, env: Env) => rotated(await refresh(refreshToken, { env }));

describe("POST /auth/refresh with REFRESH_ROTATION=on", () => {
  it("rotates a body-delivered refresh token: a new one in the body, no cookie, the same session", async () => {
    const env = rotating(LONG_GRACE_S, "body");
    const { tokens } = await signIn(env);
    const res = await refresh(tokens.refreshToken, { env });
    const next = await rotated(res);
    expect(setCookie(res, "__Host-refresh")).toBeUndefined();
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    // Still the user's username in our wrapper: the confidential client's logout and a switch back to REFRESH_TOKEN_AUTH need it.
    const opened = async (token: string) => (await unwrapRefreshToken(new EdgeKeys({ current: base.EDGE_SECRET }), env.COGNITO_CLIENT_ID, token)).username;
    expect(await opened(next.refreshToken)).toBe(await opened(tokens.refreshToken));
    for (const claim of ["origin_jti", "auth_time", "sub"]) expect(claimsOf(next.accessToken)[claim]).toBe(claimsOf(tokens.accessToken)[claim]);
    expect((await send("/auth/me", { token: next.accessToken, env })).status).toBe(200);
    await rotate(next.refreshToken, env);
  });

  it("replaces the __Host-refresh cookie with cookie delivery, and keeps the token out of the body", async () => {
    const env = rotating(LONG_GRACE_S, "cookie");
    const { cookie } = await signIn(env);
    const res = await refreshByCookie(String(cookie), env);
    await expectTokens(res, { refreshToken: false });
    const replaced = String(setCookie(res, "__Host-refresh"));
    expect(replaced).toMatch(/^__Host-refresh=ce2\.[^;]+; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(cookieOf(res)).not.toBe(cookie);
    expect((await refreshByCookie(cookieOf(res), env)).status).toBe(200);
  });

  it("hands the new token to both places with delivery both", async () => {
    const env = rotating(LONG_GRACE_S, "both");
    const { tokens } = await signIn(env);
    const res = await refresh(tokens.refreshToken, { env });
    const next = await rotated(res);
    expect(cookieOf(res)).toBe(`__Host-refresh=${next.refreshToken}`);
  });

  it("keeps two tabs that refresh with the same cookie at the same moment signed in (grace period)", async () => {
    const env = rotating(LONG_GRACE_S, "cookie");
    const { cookie } = await signIn(env);
    const [a, b] = await Promise.all([refreshByCookie(String(cookie), env), refreshByCookie(String(cookie), env)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Whichever cookie the browser keeps, it refreshes again.
    for (const next of [cookieOf(a), cookieOf(b)]) expect((await refreshByCookie(next, env)).status).toBe(200);
  });

  it("keeps two tabs that refresh with the same body token at the same moment signed in (grace period)", async () => {
    const env = rotating(LONG_GRACE_S, "body");
    const { tokens } = await signIn(env);
    const [a, b] = await Promise.all([rotate(tokens.refreshToken, env), rotate(tokens.refreshToken, env)]);
    for (const next of [a, b]) await rotate(next.refreshToken, env);
  });

  it("refuses a replaced token, stolen or stale, once the grace period is over: 401 invalid_refresh_token; the new one works", async () => {
    const env = rotating(SHORT_GRACE_S, "body");
    const cookieEnv = rotating(SHORT_GRACE_S, "cookie");
    const { tokens } = await signIn(env);
    const { tokens: cookieTokens, cookie } = await signIn(cookieEnv);
    const next = await rotate(tokens.refreshToken, env);
    const nextCookie = cookieOf(await refreshByCookie(String(cookie), cookieEnv));
    await elapse(tokens.accessToken, SHORT_GRACE_S);
    await elapse(cookieTokens.accessToken, SHORT_GRACE_S);
    await expectProblem(await refresh(tokens.refreshToken, { env }), 401, "invalid_refresh_token");
    await expectProblem(await refreshByCookie(String(cookie), cookieEnv), 401, "invalid_refresh_token");
    await rotate(next.refreshToken, env);
    expect((await refreshByCookie(nextCookie, cookieEnv)).status).toBe(200);
  });

  it("answers Cognito's RefreshTokenReuseException as 401 invalid_refresh_token", async () => {
    const env = rotating(LONG_GRACE_S, "body");
    const { tokens } = await signIn(env);
    // This user's call only: cognito-readings.test.ts refreshes through the same rotating client, maybe at the same moment.
    const username = String(claimsOf(tokens.accessToken).username);
    await injectFault({ op: "GetTokensFromRefreshToken", username, kind: "error", type: "RefreshTokenReuseException", clientId: env.COGNITO_CLIENT_ID });
    await expectProblem(await refresh(tokens.refreshToken, { env }), 401, "invalid_refresh_token");
  });

  it.each(["newest", "replaced"] as const)(
    "after logout with the %s body token, neither token refreshes (the family ends; the replaced one is within its grace period)",
    async (presented) => {
      const env = rotating(LONG_GRACE_S, "body");
      const { tokens } = await signIn(env);
      const next = await rotate(tokens.refreshToken, env);
      const refreshToken = presented === "newest" ? next.refreshToken : tokens.refreshToken;
      expect((await send("/auth/logout", { token: next.accessToken, json: { refreshToken }, env })).status).toBe(204);
      await expectProblem(await refresh(next.refreshToken, { env }), 401, "invalid_refresh_token");
      await expectProblem(await refresh(tokens.refreshToken, { env }), 401, "invalid_refresh_token");
    },
  );

  it("after logout with the cookie, neither the replaced nor the new cookie refreshes", async () => {
    const env = rotating(LONG_GRACE_S, "cookie");
    const { cookie } = await signIn(env);
    const res = await refreshByCookie(String(cookie), env);
    const { accessToken } = (await res.json()) as Tokens;
    const next = cookieOf(res);
    const out = await send("/auth/logout", { method: "POST", token: accessToken, headers: { Cookie: next, Origin: ORIGIN }, env });
    expect(out.status).toBe(204);
    expect(setCookie(out, "__Host-refresh")).toMatch(/^__Host-refresh=; Max-Age=0;/);
    await expectProblem(await refreshByCookie(next, env), 401, "invalid_refresh_token");
    await expectProblem(await refreshByCookie(String(cookie), env), 401, "invalid_refresh_token");
  });

  it("after logout with a token the attacker's refresh replaced, the attacker's newest token no longer refreshes", async () => {
    const env = rotating(LONG_GRACE_S, "body");
    const { tokens: victim } = await signIn(env);
    // The attacker refreshes with the stolen token first: the victim's token is the replaced one.
    const attacker = await rotate(victim.refreshToken, env);
    const newest = await rotate(attacker.refreshToken, env);
    // RevokeToken of the victim's token may end that token alone (API reference): logout with rotation ends every session.
    expect((await send("/auth/logout", { token: victim.accessToken, json: { refreshToken: victim.refreshToken }, env })).status).toBe(204);
    await expectProblem(await refresh(newest.refreshToken, { env }), 401, "invalid_refresh_token");
    await expectProblem(await send("/auth/me", { token: newest.accessToken, env }), 401, "unauthorized");
  });

  it("with REVOCATIONS, a session logged out here with a replaced token refreshes neither here nor at Cognito", async () => {
    const env = { ...rotating(LONG_GRACE_S, "body"), ...withKv() };
    const { tokens } = await signIn(env);
    const next = await rotate(tokens.refreshToken, env);
    expect((await send("/auth/logout", { token: next.accessToken, json: { refreshToken: tokens.refreshToken }, env })).status).toBe(204);
    await expectProblem(await refresh(next.refreshToken, { env }), 401, "invalid_refresh_token");
    // Over at Cognito too, KV or not.
    await expectProblem(await refresh(next.refreshToken, { env: rotating(LONG_GRACE_S, "body") }), 401, "invalid_refresh_token");
  });

  it("against an app client without rotation, refreshes with new access tokens only; the refresh token keeps working", async () => {
    const env = { REFRESH_ROTATION: "on", REFRESH_TOKEN_DELIVERY: "body" };
    const { email, password } = await registeredUser();
    const login = await send("/auth/login", { json: { email, password }, env });
    const { accessToken, refreshToken } = (await login.json()) as Tokens;
    // Through GetTokensFromRefreshToken, for this user's call only.
    await injectFault({ op: "GetTokensFromRefreshToken", username: String(claimsOf(accessToken).username), kind: "error", type: "InternalErrorException" });
    await expectProblem(await refresh(refreshToken, { env }), 503, "upstream_unavailable");
    await expectTokens(await refresh(refreshToken, { env }), { refreshToken: false });
    await expectTokens(await refresh(refreshToken, { env }), { refreshToken: false });
  });
});
