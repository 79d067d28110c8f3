import { describe, expect, it } from "vitest";
import {
  claimsOf,
  enableTotp,
  expectProblem,
  login,
  newEmail,
  refresh,
  send,
  signedInUser,
  taggedCognito,
  type Tokens,
  untilSignInOlderThan,
} from "../support/worker";
import { now, testIssuer } from "../support/tokens";

// A token older than REAUTH_MAX_AGE_S stands for a stolen one: the tests shorten the window to 1 s.
const OLD = { REAUTH_MAX_AGE_S: "1" };
const CHALLENGE = 'Bearer realm="cognito-edge", error="insufficient_user_authentication", max_age=1';

async function expectStepUp(res: Response) {
  await expectProblem(res, 401, "reauthentication_required");
  expect(res.headers.get("WWW-Authenticate")).toBe(CHALLENGE);
}

describe("step-up re-authentication (RFC 9470)", () => {
  it("stops a stolen, older access token from taking the account over", async () => {
    const { email, tokens } = await signedInUser();
    const token = tokens.accessToken;
    await untilSignInOlderThan(token, 1);
    // The takeover: move the email to the attacker, then reset the password through it.
    await expectStepUp(await send("/auth/me", { method: "PATCH", token, json: { attributes: { email: newEmail("attacker") } }, env: OLD }));
    await expectStepUp(await send("/auth/me", { method: "PATCH", token, json: { attributes: { phone_number: "+15555550100" } }, env: OLD }));
    await expectStepUp(await send("/auth/me", { method: "DELETE", token, env: OLD }));
    await expectStepUp(await send("/auth/mfa/totp/setup", { method: "POST", token, env: OLD }));
    await expectStepUp(await send("/auth/mfa/totp", { method: "DELETE", token, env: OLD }));
    // Nothing changed, and changes that cannot hand the account over still work.
    const me = await send("/auth/me", { token, env: OLD });
    expect(((await me.json()) as { email: string }).email).toBe(email);
    expect((await send("/auth/me", { method: "PATCH", token, json: { attributes: { name: "Still Me" } }, env: OLD })).status).toBe(200);
  });

  it("does not count a refresh as a sign-in: the refreshed token keeps auth_time and origin_jti", async () => {
    const { tokens } = await signedInUser();
    // By then Cognito's clock has passed auth_time's second too: a refresh that counted as a sign-in would show.
    await untilSignInOlderThan(tokens.accessToken, 1);
    const res = await refresh(tokens.refreshToken);
    expect(res.status).toBe(200);
    const refreshed = (await res.json()) as Tokens;
    const before = claimsOf(tokens.accessToken);
    const after = claimsOf(refreshed.accessToken);
    expect(after.iat).toBeGreaterThan(Number(before.iat));
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.origin_jti).toEqual(expect.any(String));
    expect(after.origin_jti).toBe(before.origin_jti);
    await expectStepUp(await send("/auth/me", { method: "DELETE", token: refreshed.accessToken, env: OLD }));
  });

  it("lets a fresh sign-in make the change", async () => {
    const { email, password, tokens } = await signedInUser();
    await untilSignInOlderThan(tokens.accessToken, 1);
    await expectStepUp(await send("/auth/mfa/totp/setup", { method: "POST", token: tokens.accessToken, env: OLD }));
    const fresh = await login(email, password);
    await enableTotp(fresh.accessToken);
    expect((await send("/auth/mfa/totp", { method: "DELETE", token: fresh.accessToken })).status).toBe(204);
    expect((await send("/auth/me", { method: "DELETE", token: fresh.accessToken })).status).toBe(204);
  });

  it("refuses a token with no auth_time, or one whose sign-in is older than the window, before calling Cognito", async () => {
    const issuer = await testIssuer();
    const env = { ...issuer.env, REAUTH_MAX_AGE_S: "300" };
    const noAuthTime = await issuer.sign();
    const stale = await issuer.sign({ auth_time: now() - 301 });
    const fresh = await issuer.sign({ auth_time: now() - 5 });
    for (const token of [noAuthTime, stale]) {
      const res = await send("/auth/mfa/totp", { method: "DELETE", token, env });
      await expectProblem(res, 401, "reauthentication_required");
      expect(res.headers.get("WWW-Authenticate")).toBe(CHALLENGE.replace("max_age=1", "max_age=300"));
    }
    // A "sign-in" after the token was issued (only a forged or broken token says so) is never fresh.
    const later = await issuer.sign({ iat: now() - 10, auth_time: now() + 30 });
    await expectProblem(await send("/auth/mfa/totp", { method: "DELETE", token: later, env }), 401, "reauthentication_required");
    // A fresh sign-in passes the step-up and reaches Cognito, which refuses a token it did not issue.
    const cognito = taggedCognito();
    const passed = await send("/auth/mfa/totp", { method: "DELETE", token: fresh, env: { ...env, ...cognito.env } });
    await expectProblem(passed, 401, "unauthorized");
    expect(await cognito.calls()).toEqual(["SetUserMFAPreference"]);
  });
});
