import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, CognitoEdgeClient, type ClientOptions, type SignedOutReason } from "../../src/client";
import { openApiPath, operations } from "../../src/openapi/document";
import { type CreationOptionsJSON, SoftwareAuthenticator } from "../support/authenticator";
import { BASE, type WorkerFetch, workerFetch } from "../support/client";
import { totp } from "../support/totp";
import { lastCode, newPhone } from "../support/user-auth";
import { enableTotp, newEmail, PASSWORD, registeredUser, signedInUser, untilPast, untilSignInOlderThan } from "../support/worker";

/** A refresh-token store as an app would keep it (localStorage, KV, a file). */
function memoryStorage() {
  const box: { token: string | null } = { token: null };
  return { box, storage: { get: () => box.token, set: (token: string | null) => void (box.token = token) } };
}

function bodyClient(fetcher: WorkerFetch, extra: Partial<ClientOptions> = {}) {
  const { box, storage } = memoryStorage();
  const signedOut: SignedOutReason[] = [];
  const client = new CognitoEdgeClient({
    baseUrl: BASE,
    delivery: "body",
    storage,
    fetch: fetcher.fetch,
    onSignedOut: (reason) => signedOut.push(reason),
    ...extra,
  });
  return { client, box, signedOut };
}

/** Past the access token's exp (cognito-local's tokens live a day) and the 60 s tolerance: the Worker answers token_expired. */
const expireAccessTokens = () => vi.setSystemTime(Date.now() + 2 * 24 * 3600 * 1000);
/** Cognito's clock is the real one: the Worker's must be too from the refresh on. */
const realClockFromRefresh = (path: string) => {
  if (path === "/auth/refresh") vi.useRealTimers();
};

/** Every call the client made is a route of the OpenAPI document. */
function expectDocumentedCalls(fetcher: WorkerFetch) {
  const routes = operations.map((op) => ({ method: op.method.toUpperCase(), pattern: new RegExp(`^${openApiPath(op.path).replace(/\{\w+\}/g, "[^/]+")}$`) }));
  for (const call of fetcher.calls) {
    const path = call.path.split("?")[0];
    expect(routes.some((r) => r.method === call.method && r.pattern.test(path)), `${call.method} ${path}`).toBe(true);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("typed client (cognito-edge/client)", () => {
  it("refreshes exactly once for any number of concurrent calls that meet an expired token, then retries them", async () => {
    const { email, password } = await registeredUser();
    const fetcher = workerFetch({ before: realClockFromRefresh });
    const { client, box, signedOut } = bodyClient(fetcher);
    expect(await client.login({ email, password })).toEqual({ status: "signedIn" });
    const first = { access: client.accessToken, refresh: box.token };
    expect(first.refresh).toMatch(/^ce2\./);

    vi.useFakeTimers({ toFake: ["Date"] });
    expireAccessTokens();
    const profiles = await Promise.all(Array.from({ length: 6 }, () => client.me()));

    expect(profiles.map((p) => p.email)).toEqual(Array(6).fill(email));
    expect(fetcher.count("POST", "/auth/refresh")).toBe(1);
    const me = fetcher.calls.filter((c) => c.path === "/auth/me");
    expect(me.map((c) => c.status).sort()).toEqual([...Array(6).fill(200), ...Array(6).fill(401)]);
    expect(client.accessToken).not.toBe(first.access);
    expect(signedOut).toEqual([]);
    expectDocumentedCalls(fetcher);
  });

  it("signs out once and tells the app when the Worker refuses the refresh; every waiting call fails", async () => {
    const { email, password } = await registeredUser();
    const fetcher = workerFetch({ before: realClockFromRefresh });
    const { client, box, signedOut } = bodyClient(fetcher);
    await client.login({ email, password });
    box.token = "ce1.bm8tc3VjaC11c2Vy.not-a-refresh-token";

    vi.useFakeTimers({ toFake: ["Date"] });
    expireAccessTokens();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => client.me()));

    expect(fetcher.count("POST", "/auth/refresh")).toBe(1);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toMatchObject({ status: 401, code: "invalid_refresh_token" });
    }
    expect(signedOut).toEqual(["refresh_failed"]);
    expect(client.signedIn).toBe(false);
    expect(box.token).toBeNull();
    await expect(client.me()).rejects.toMatchObject({ code: "not_signed_in" });
  });

  it("answers the TOTP challenge of a sign-in, and re-authenticates on step-up before retrying", async () => {
    const { email, password, tokens } = await signedInUser();
    const { secret } = await enableTotp(tokens.accessToken);
    // A 2 s step-up window: the first sign-in is too old by the time TOTP is turned off. Cognito's
    // auth_time is whole seconds, so the sign-in again starts as a second begins and has the whole
    // window to answer TOTP and retry (with 1 s, one started late in a second had a tenth of one).
    const fetcher = workerFetch({ envOverrides: { REAUTH_MAX_AGE_S: "2" } });
    const prompts: string[] = [];
    const { client } = bodyClient(fetcher, { reauthenticate: (context) => signInAgain(context) });
    // What a page does when asked: prompt, then sign in again through the same client.
    async function signInAgain(context: { email?: string; error: ApiError }) {
      prompts.push(`${context.email} ${context.error.code}`);
      await untilPast(Math.ceil(Date.now() / 1000));
      const again = await client.login({ email, password });
      if (again.status === "challenge") await client.answerChallenge({ code: await totp(secret) });
    }
    const signIn = await client.login({ email, password });
    expect(signIn).toEqual({ status: "challenge", challenge: "SOFTWARE_TOKEN_MFA" });
    await expect(client.answerChallenge({ code: "000000" === (await totp(secret)) ? "111111" : "000000" })).rejects.toMatchObject({
      status: 400,
      code: "code_mismatch",
    });
    expect(await client.answerChallenge({ code: await totp(secret) })).toEqual({ status: "signedIn" });

    await untilSignInOlderThan(String(client.accessToken), 2);
    await client.deleteTotp();
    expect(prompts).toEqual([`${email} reauthentication_required`]);
    const deletes = fetcher.calls.filter((c) => c.method === "DELETE" && c.path === "/auth/mfa/totp").map((c) => c.status);
    expect(deletes).toEqual([401, 204]);
    expectDocumentedCalls(fetcher);
  });

  it("in cookie delivery sends credentials, refreshes with the cookie and keeps no refresh token of its own", async () => {
    const { email, password } = await registeredUser();
    const fetcher = workerFetch({ cookies: true });
    const options = { baseUrl: BASE, delivery: "cookie" as const, fetch: fetcher.fetch };
    const client = new CognitoEdgeClient(options);
    await client.login({ email, password });
    // A page reload: a new client finds the session through the cookie alone.
    const reloaded = new CognitoEdgeClient(options);
    expect(await reloaded.restore()).toBe(true);
    expect((await reloaded.me()).email).toBe(email);
    await reloaded.logout();
    expect(fetcher.calls.every((c) => c.credentials === "include")).toBe(true);
    const logout = fetcher.calls.find((c) => c.path === "/auth/logout");
    expect(logout).toMatchObject({ status: 204, body: {} });
    expect(await new CognitoEdgeClient(options).restore()).toBe(false);
  });

  it("registers, lists and deletes a passkey, and reads the sign-in factors", async () => {
    const { email, password } = await registeredUser();
    const fetcher = workerFetch();
    const { client } = bodyClient(fetcher);
    await client.login({ email, password });
    const { credentialCreationOptions } = await client.passkeys.startRegistration();
    const authenticator = await SoftwareAuthenticator.create();
    // What a page does with the options: navigator.credentials.create, then the credential's toJSON().
    const options: CreationOptionsJSON = {
      challenge: String(credentialCreationOptions.challenge),
      rp: { id: "localhost", name: "localhost" },
      user: { id: "dXNlcg", name: email, displayName: email },
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    };
    await client.passkeys.completeRegistration(await authenticator.register(options, { origin: "http://localhost:8787" }));
    expect((await client.passkeys.list()).passkeys.map((p) => p.id)).toEqual([authenticator.id]);
    expect((await client.factors()).factors).toContain("passkey");
    await client.passkeys.delete(authenticator.id);
    expect(await client.passkeys.list()).toEqual({ passkeys: [] });
    expectDocumentedCalls(fetcher);
  });

  it("lists the user's sessions, this one current, and ends another", async () => {
    const { email, password } = await registeredUser();
    const fetcher = workerFetch({ envOverrides: { SESSIONS: env.TEST_SESSIONS } });
    const { client } = bodyClient(fetcher);
    const { client: other } = bodyClient(fetcher);
    await other.login({ email, password });
    await client.login({ email, password });
    const { sessions } = await client.sessions.list();
    expect(sessions.map((s) => s.current).sort()).toEqual([false, true]);
    const otherId = sessions.find((s) => !s.current)?.id ?? "";
    await client.sessions.end(otherId);
    expect((await client.sessions.list()).sessions.map((s) => s.id)).not.toContain(otherId);
    await expect(client.sessions.end(otherId)).rejects.toMatchObject({ status: 404, code: "not_found" });
    expectDocumentedCalls(fetcher);
  });

  it("throws ApiError with the problem's status, code and field errors", async () => {
    const { client } = bodyClient(workerFetch());
    const err = await client.register({ email: "not-an-email", password: "x", name: "X" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: "validation_failed", errors: [{ path: "email" }] });
    await expect(client.login({ email: "nobody@example.com", password: "Wr0ng-Passw0rd!" })).rejects.toMatchObject({
      status: 401,
      code: "invalid_credentials",
    });
  });

  it("registers without a password and is signed in by the confirmation, the registration's session kept by the client", async () => {
    const fetcher = workerFetch();
    const { client, box } = bodyClient(fetcher);
    const email = newEmail();
    const registered = await client.register({ email, name: "Ada" });
    expect(registered).toMatchObject({ confirmed: false, session: expect.any(String) });
    expect(await client.verifyEmail({ email, code: await lastCode(email) })).toEqual({ confirmed: true, signedIn: true });
    expect(client.signedIn).toBe(true);
    expect(box.token).toMatch(/^ce2\./);
    expect((await client.me()).email).toBe(email);
    expect(fetcher.calls.find((c) => c.path === "/auth/verify")?.body).toMatchObject({ session: registered.session });
    expectDocumentedCalls(fetcher);
  });

  it("signs in by phone with a code: the choice, then the method, then the code", async () => {
    const fetcher = workerFetch();
    const { client } = bodyClient(fetcher);
    const phone = newPhone();
    await client.register({ phone, password: PASSWORD, name: "Ada" });
    expect(await client.verifyEmail({ phone, code: await lastCode(phone) })).toEqual({ confirmed: true, signedIn: true });
    await client.logout();
    expect(await client.login({ phone })).toEqual({ status: "challenge", challenge: "SELECT_CHALLENGE", methods: ["password", "email_otp", "sms_otp", "passkey"] });
    const otp = await client.answerChallenge({ method: "sms_otp" });
    expect(otp).toEqual({ status: "challenge", challenge: "SMS_OTP", delivery: { medium: "SMS", destination: expect.stringMatching(/^\+\*+\d{4}$/) } });
    expect(await client.answerChallenge({ code: await lastCode(phone) })).toEqual({ status: "signedIn" });
    expect((await client.me()).attributes.phone_number).toBe(phone);
    expectDocumentedCalls(fetcher);
  });
});
