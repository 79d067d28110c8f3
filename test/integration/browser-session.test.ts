// SESSION_MODE=browser: every sign-in from a browser answers a session
// cookie and no token; the session stands in for the bearer token on the
// Worker's routes and the gateway, and unsafe methods need an allowed Origin.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BROWSER, browserUser, expectSession, fromPage, jar, REFRESH_COOKIE, SESSION_COOKIE } from "../support/browser";
import { answer, challenged } from "../support/user-auth";
import { adminUser, expectProblem, expectTokens, lastCode, NEW_PASSWORD, newEmail, ORIGIN, PASSWORD, registeredUser, send, setCookie, taggedCognito } from "../support/worker";

const GATEWAY = { UPSTREAM: env.TEST_UPSTREAM };

describe("sign-in in SESSION_MODE=browser", () => {
  it("answers a password sign-in from a page with the session cookies and what the page renders, no token", async () => {
    const { email, body } = await browserUser();
    expect(body).toMatchObject({ email, groups: [] });
    // `name` when the ID token has the claim (the stand-in's have none).
    expect(
      Object.keys(body)
        .filter((key) => key !== "name")
        .sort(),
    ).toEqual(["email", "expiresAt", "groups", "sub"]);
  });

  it("keeps the refresh token in our sealed form in its HttpOnly Strict cookie", async () => {
    const user = await registeredUser();
    const res = await fromPage("/auth/login", "", { json: { email: user.email, password: user.password } });
    expect(setCookie(res, REFRESH_COOKIE)).toMatch(/^__Host-refresh=ce2\.[\w-]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    await expectSession(res);
  });

  it("still answers tokens to a client that is no browser (no Origin, no Sec-Fetch-Site)", async () => {
    const user = await registeredUser();
    const res = await send("/auth/login", { json: { email: user.email, password: user.password }, env: BROWSER });
    const tokens = await expectTokens(res, { refreshToken: true });
    expect(setCookie(res, SESSION_COOKIE)).toBeUndefined();
    expect((await send("/auth/me", { token: String(tokens.accessToken), env: BROWSER })).status).toBe(200);
  });

  it("treats a request with Sec-Fetch-Site and no Origin as a browser's", async () => {
    const user = await registeredUser();
    const headers = { "Sec-Fetch-Site": "same-origin" };
    await expectSession(await send("/auth/login", { json: { email: user.email, password: user.password }, headers, env: BROWSER }));
  });

  it("refuses a sign-in a page of another site sends (login CSRF): 403 forbidden, no cookie, Cognito never asked", async () => {
    const user = await registeredUser();
    const tagged = taggedCognito();
    const json = { email: user.email, password: user.password };
    const env = { ...BROWSER, ...tagged.env };
    const attempts = [
      await send("/auth/login", { json, headers: { Origin: "https://evil.example" }, env }),
      await send("/auth/login", { json, headers: { "Sec-Fetch-Site": "cross-site" }, env }),
      await send("/auth/challenge", { json: { email: user.email, method: "email_otp" }, headers: { Origin: "null" }, env }),
    ];
    for (const res of attempts) {
      expect(res.headers.getSetCookie()).toEqual([]);
      await expectProblem(res, 403, "forbidden");
    }
    expect(await tagged.calls()).toEqual([]);
  });

  it("answers a one-time code sign-in (challenge) with a session", async () => {
    const { email } = await registeredUser();
    const got = await challenged({ email, method: "email_otp" }, { headers: { Origin: ORIGIN }, env: BROWSER });
    const res = await answer({ email }, got, { code: await lastCode(email) }, { headers: { Origin: ORIGIN }, env: BROWSER });
    expect(await expectSession(res)).toMatchObject({ email });
  });

  it("answers the sign-in on confirmation (verify with the registration's session) with a session", async () => {
    const email = newEmail();
    const reg = await fromPage("/auth/register", "", { json: { email, password: PASSWORD, name: "Ada" } });
    expect(reg.status).toBe(201);
    const { session } = (await reg.json()) as { session: string };
    const res = await fromPage("/auth/verify", "", { json: { email, code: await lastCode(email), session } });
    expect(await expectSession(res)).toMatchObject({ email, confirmed: true });
  });

  it("answers POST /auth/refresh from a page with a new session and no token", async () => {
    const { cookie, body } = await browserUser();
    const res = await fromPage("/auth/refresh", cookie, { method: "POST" });
    expect(await expectSession(res)).toMatchObject({ sub: body.sub });
    const after = jar(res, cookie);
    expect((await fromPage("/auth/me", after)).status).toBe(200);
  });

  it("answers change-password with a new session, and the old session's cookie no longer works", async () => {
    const { cookie, email, password } = await browserUser();
    const res = await fromPage("/auth/change-password", cookie, { json: { currentPassword: password, newPassword: NEW_PASSWORD } });
    expect(await expectSession(res)).toMatchObject({ email });
    await expectProblem(await fromPage("/api/orders", cookie, { env: GATEWAY }), 401, "unauthorized");
    expect((await fromPage("/api/orders", jar(res, cookie), { env: GATEWAY })).status).toBe(200);
  });
});

describe("the session stands in for the bearer token", () => {
  it("reads /auth/me with the cookie alone", async () => {
    const { cookie, email } = await browserUser();
    const res = await send("/auth/me", { headers: { Cookie: cookie }, env: BROWSER });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email });
  });

  it("is refused without SESSION_MODE=browser: the cookie means nothing to a token-mode Worker", async () => {
    const { cookie } = await browserUser();
    await expectProblem(await send("/auth/me", { headers: { Cookie: cookie, Origin: ORIGIN } }), 401, "unauthorized");
  });

  it("serves TOTP setup and the admin routes", async () => {
    const { cookie } = await browserUser();
    expect((await fromPage("/auth/mfa/totp/setup", cookie, { method: "POST" })).status).toBe(200);
    const admin = await adminUser();
    const login = await fromPage("/auth/login", "", { json: { email: admin.email, password: admin.password } });
    const adminCookie = jar(login);
    expect((await expectSession(login)).groups).toEqual(["admin"]);
    const list = await fromPage(`/admin/users?email=${encodeURIComponent(admin.email)}`, adminCookie, { env: { ADMIN_GROUP: "admin" } });
    expect(list.status).toBe(200);
  });

  it("refuses an unsafe request from another site or without an Origin (403 forbidden), and runs nothing", async () => {
    const { cookie } = await browserUser();
    const evil = { headers: { Origin: "https://evil.example" }, json: { global: true } };
    await expectProblem(await fromPage("/auth/logout", cookie, evil), 403, "forbidden");
    const bare = await send("/auth/logout", { method: "POST", headers: { Cookie: cookie }, env: BROWSER });
    await expectProblem(bare, 403, "forbidden");
    // Not logged out: the session still works.
    expect((await fromPage("/auth/me", cookie)).status).toBe(200);
  });

  it("forwards a gateway request with the X-Auth-* identity, no Authorization and none of the Worker's cookies", async () => {
    const { cookie, body } = await browserUser();
    const res = await fromPage("/api/orders", `${cookie}; theme=dark`, { env: { ...GATEWAY, GATEWAY_FORWARD_AUTHORIZATION: "on" } });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as { headers: Record<string, string> };
    expect(echo.headers["x-auth-sub"]).toBe(body.sub);
    expect(echo.headers.authorization).toBeUndefined();
    expect(echo.headers.cookie).toBe("theme=dark");
    // The one JWT the upstream gets is the Worker's own signed identity (ES256), never a Cognito token (RS256).
    const { "x-auth-assertion": assertion, ...others } = echo.headers;
    expect(JSON.parse(atob(String(assertion).split(".")[0]))).toMatchObject({ alg: "ES256" });
    expect(JSON.stringify({ ...echo, headers: others })).not.toMatch(/eyJ|ce2\./);
  });

  it("forwards an unsafe gateway request from the app's origins only", async () => {
    const { cookie } = await browserUser();
    expect((await fromPage("/api/orders", cookie, { method: "POST", body: "{}", env: GATEWAY })).status).toBe(200);
    const own = await fromPage("/api/orders", cookie, { method: "POST", body: "{}", headers: { Origin: "https://edge.example.com" }, env: GATEWAY });
    expect(own.status).toBe(200);
    const evil = await fromPage("/api/orders", cookie, { method: "POST", body: "{}", headers: { Origin: "https://evil.example" }, env: GATEWAY });
    await expectProblem(evil, 403, "forbidden");
  });

  it("prefers a bearer token when both come: a bearer client is unaffected by a stray cookie", async () => {
    const { cookie } = await browserUser();
    await expectProblem(await fromPage("/auth/me", cookie, { headers: { Authorization: "Bearer not-a-token" } }), 401, "unauthorized");
  });
});
