import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { sealState, STATE_COOKIE } from "../../src/oauth/state-cookie";
import { EdgeKeys } from "../../src/seal/keys";
import { expectProblem, expectTokens, ORIGIN, send, setCookie } from "../support/worker";

const oauth = inject("oauth");
const OAUTH_ENV = {
  COGNITO_DOMAIN: oauth.domain,
  OAUTH_REDIRECT_URI: oauth.redirectUri,
  OAUTH_RETURN_ORIGINS: ORIGIN,
  REFRESH_TOKEN_DELIVERY: "body",
};
/** The Worker's keys (its EDGE_SECRET): a state cookie of the test's own making. */
const keys = new EdgeKeys({ current: env.EDGE_SECRET });

const cookiePair = (res: Response, name: string) => (setCookie(res, name) ?? "").split(";")[0];

/** /authorize, then the hosted UI (which signs the test user in), up to the callback URL. */
async function startSignIn(returnTo = `${ORIGIN}/after?x=1`) {
  const res = await send(`/auth/oauth/authorize?provider=Google&returnTo=${encodeURIComponent(returnTo)}`, { env: OAUTH_ENV });
  expect(res.status).toBe(302);
  const hosted = await fetch(String(res.headers.get("Location")), { redirect: "manual" });
  expect(hosted.status).toBe(302);
  const callback = new URL(String(hosted.headers.get("Location")));
  return { authorize: res, callback, stateCookie: cookiePair(res, STATE_COOKIE) };
}

const finish = (callback: URL, cookie: string) =>
  send(`${callback.pathname}${callback.search}`, { headers: { Cookie: cookie }, env: OAUTH_ENV });

describe("hosted-UI sign-in with PKCE", () => {
  it("redirects to /oauth2/authorize with PKCE S256, state and the provider", async () => {
    const { authorize } = await startSignIn();
    const location = new URL(String(authorize.headers.get("Location")));
    expect(location.origin + location.pathname).toBe(`${oauth.domain}/oauth2/authorize`);
    const q = location.searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      response_type: "code",
      client_id: env.COGNITO_CLIENT_ID,
      redirect_uri: oauth.redirectUri,
      code_challenge_method: "S256",
      identity_provider: "Google",
    });
    expect(q.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(q.get("state")).toMatch(/^[\w-]{43}$/);
    expect(setCookie(authorize, STATE_COOKIE)).toMatch(/; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(authorize.headers.get("Cache-Control")).toBe("no-store");
  });

  it("exchanges the code, sets the refresh cookie and returns to returnTo with no token in the URL", async () => {
    const { callback, stateCookie } = await startSignIn();
    const res = await finish(callback, stateCookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`${ORIGIN}/after?x=1`);
    expect(setCookie(res, "__Host-refresh")).toMatch(/^__Host-refresh=ce2\.[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(setCookie(res, STATE_COOKIE)).toMatch(/Max-Age=0/);
    expect(res.headers.get("Location")).not.toMatch(/token|code=/i);
  });

  it("then the page trades the refresh cookie for tokens at /auth/refresh from an allowed origin", async () => {
    const { callback, stateCookie } = await startSignIn();
    const signedIn = await finish(callback, stateCookie);
    expect(signedIn.status).toBe(302);
    const cookie = cookiePair(signedIn, "__Host-refresh");
    const res = await send("/auth/refresh", { method: "POST", headers: { Cookie: cookie, Origin: ORIGIN }, env: OAUTH_ENV });
    const body = await expectTokens(res, { refreshToken: false });
    const me = await send("/auth/me", { token: String(body.accessToken) });
    expect(me.status).toBe(200);
    // Without an allowed Origin the same cookie is refused (CSRF).
    const foreign = await send("/auth/refresh", { method: "POST", headers: { Cookie: cookie, Origin: "https://evil.example" }, env: OAUTH_ENV });
    await expectProblem(foreign, 403, "forbidden");
  });

  it("refuses a forged state: 401 invalid_session", async () => {
    const { callback, stateCookie } = await startSignIn();
    callback.searchParams.set("state", "A".repeat(43));
    const res = await finish(callback, stateCookie);
    await expectProblem(res, 401, "invalid_session");
    expect(setCookie(res, STATE_COOKIE)).toMatch(/Max-Age=0/);
  });

  it("refuses a callback without its state cookie, or with a tampered one", async () => {
    const { callback, stateCookie } = await startSignIn();
    await expectProblem(await finish(callback, ""), 401, "invalid_session");
    // Flip a character inside the MAC (the last one may carry only padding bits).
    const at = stateCookie.lastIndexOf(".") + 5;
    const tampered = stateCookie.slice(0, at) + (stateCookie[at] === "A" ? "B" : "A") + stateCookie.slice(at + 1);
    await expectProblem(await finish(callback, tampered), 401, "invalid_session");
    // And inside the payload.
    const eq = stateCookie.indexOf("=") + 3;
    const forgedPayload = stateCookie.slice(0, eq) + (stateCookie[eq] === "A" ? "B" : "A") + stateCookie.slice(eq + 1);
    await expectProblem(await finish(callback, forgedPayload), 401, "invalid_session");
  });

  it("refuses an expired state cookie", async () => {
    const { callback } = await startSignIn();
    const state = String(callback.searchParams.get("state"));
    const sealed = await sealState(keys, { state, verifier: "v".repeat(43), returnTo: `${ORIGIN}/`, exp: Math.floor(Date.now() / 1000) - 1 });
    await expectProblem(await finish(callback, `${STATE_COOKIE}=${sealed}`), 401, "invalid_session");
  });

  it("refuses a replayed code: 400 code_mismatch", async () => {
    const { callback, stateCookie } = await startSignIn();
    expect((await finish(callback, stateCookie)).status).toBe(302);
    await expectProblem(await finish(callback, stateCookie), 400, "code_mismatch");
  });

  it("refuses a wrong PKCE verifier: 400 code_mismatch", async () => {
    const { callback } = await startSignIn();
    const state = String(callback.searchParams.get("state"));
    const exp = Math.floor(Date.now() / 1000) + 60;
    const sealed = await sealState(keys, { state, verifier: "w".repeat(43), returnTo: `${ORIGIN}/`, exp });
    await expectProblem(await finish(callback, `${STATE_COOKIE}=${sealed}`), 400, "code_mismatch");
  });

  it.each([
    ["another origin", "https://evil.example/steal"],
    ["a scheme-relative URL", "//evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a lookalike origin", "https://app.example.com.evil.example/"],
  ])("refuses returnTo on %s: 400 validation_failed, no redirect", async (_case, returnTo) => {
    const res = await send(`/auth/oauth/authorize?returnTo=${encodeURIComponent(returnTo)}`, { env: OAUTH_ENV });
    await expectProblem(res, 400, "validation_failed");
    expect(res.headers.get("Location")).toBeNull();
  });

  it("reports a sign-in the identity provider refused: 403 forbidden", async () => {
    const { callback, stateCookie } = await startSignIn();
    const denied = new URL(callback.href);
    denied.search = new URLSearchParams({ state: String(callback.searchParams.get("state")), error: "access_denied" }).toString();
    await expectProblem(await finish(denied, stateCookie), 403, "forbidden");
  });

  it("does not exist without COGNITO_DOMAIN: 404", async () => {
    await expectProblem(await send("/auth/oauth/authorize"), 404, "not_found");
    await expectProblem(await send("/auth/oauth/callback?code=a&state=b"), 404, "not_found");
  });
});
