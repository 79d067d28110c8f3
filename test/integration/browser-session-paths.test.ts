// SESSION_MODE=browser on the sign-ins that leave a page's fetch: the hosted
// UI's callback and the passkey; and step-up, which reads the session's
// sign-in time.
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { STATE_COOKIE } from "../../src/oauth/state-cookie";
import { BROWSER, browserUser, expectSession, fromPage, jar, SESSION_COOKIE } from "../support/browser";
import type { RequestOptionsJSON } from "../support/authenticator";
import { PAGE, registerPasskey } from "../support/passkeys";
import { answer, type Challenged, challenged } from "../support/user-auth";
import { expectProblem, newEmail, ORIGIN, send, setCookie, signedInUser } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

describe("browser sessions from other sign-ins", () => {
  it("sets the session on the hosted UI's callback, with no token in the URL", async () => {
    const oauth = inject("oauth");
    const OAUTH = { ...BROWSER, COGNITO_DOMAIN: oauth.domain, OAUTH_REDIRECT_URI: oauth.redirectUri, OAUTH_RETURN_ORIGINS: ORIGIN };
    const start = await send(`/auth/oauth/authorize?returnTo=${encodeURIComponent(`${ORIGIN}/after`)}`, { env: OAUTH });
    expect(start.status).toBe(302);
    const hosted = await fetch(String(start.headers.get("Location")), { redirect: "manual" });
    const callback = new URL(String(hosted.headers.get("Location")));
    const state = String(setCookie(start, STATE_COOKIE)).split(";")[0];
    // A top-level navigation from the hosted UI's site: no Origin, Sec-Fetch-Site cross-site.
    const res = await send(`${callback.pathname}${callback.search}`, { headers: { Cookie: state, "Sec-Fetch-Site": "cross-site" }, env: OAUTH });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`${ORIGIN}/after`);
    expect(setCookie(res, SESSION_COOKIE)).toMatch(/^__Host-edge-session=[\w-]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect((await fromPage("/auth/me", jar(res), { env: OAUTH })).status).toBe(200);
  });

  it("answers a passkey sign-in with a session", async () => {
    const { email, tokens } = await signedInUser();
    const { authenticator } = await registerPasskey(tokens.accessToken);
    const page = { headers: { Origin: ORIGIN }, env: BROWSER };
    const got = await challenged({ email, method: "passkey" }, page);
    const credential = await authenticator.authenticate(got.credentialRequestOptions as unknown as RequestOptionsJSON, { origin: PAGE });
    expect(await expectSession(await answer({ email }, got as Challenged, { credential }, page))).toMatchObject({ email });
  });
});

describe("step-up with a browser session", () => {
  it("lets a fresh session change the email, and asks an older one to sign in again", async () => {
    const fresh = await browserUser();
    expect((await fromPage("/auth/me", fresh.cookie, { method: "PATCH", json: { attributes: { email: newEmail() } } })).status).toBe(200);
    const old = await browserUser();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 10 * 60 * 1000);
    const res = await fromPage("/auth/me", old.cookie, { method: "PATCH", json: { attributes: { email: newEmail() } } });
    await expectProblem(res, 401, "reauthentication_required");
  });
});
