// With a one-time code as first factor Cognito skips MFA, and the sign-in's
// fresh auth_time satisfies step-up: whoever reads the inbox could remove
// TOTP and register a passkey. For an account with TOTP or a passkey, a code
// does not sign in at all, so its tokens never reach the reader of the inbox
// (who could otherwise take them to Cognito directly, around any Worker check).
import { describe, expect, it } from "vitest";
import { createAccount } from "../support/accounts";
import { totp } from "../support/totp";
import { answer, challenged, lastCode } from "../support/user-auth";
import { enableTotp, expectProblem, send, setCookie, signedInUser, taggedCognito, type Tokens } from "../support/worker";

describe("a one-time code does not sign in an account with a second factor", () => {
  it("refuses an email-code sign-in of a TOTP account: 401 second_factor_required, no tokens; password and TOTP still pass step-up", async () => {
    const { email, password, tokens } = await signedInUser();
    const { secret } = await enableTotp(tokens.accessToken);
    const tagged = taggedCognito();
    // The attacker reads the victim's inbox.
    const got = await challenged({ email, method: "email_otp" }, { env: tagged.env });
    const res = await answer({ email }, got, { code: await lastCode(email) }, { env: tagged.env });
    const body = await expectProblem(res, 401, "second_factor_required");
    expect(body).not.toHaveProperty("accessToken");
    expect(setCookie(res, "__Host-refresh")).toBeUndefined();
    // Cognito's tokens of that sign-in were revoked, not handed out.
    expect(await tagged.calls()).toEqual(expect.arrayContaining(["GetUserAuthFactors", "RevokeToken"]));
    // The owner signs in with the password and TOTP, and that sign-in makes sensitive changes.
    const login = await send("/auth/login", { json: { email, password } });
    const mfa = (await login.json()) as { challenge: string; session: string };
    expect(mfa.challenge).toBe("SOFTWARE_TOKEN_MFA");
    const done = await send("/auth/challenge", { json: { email, challenge: mfa.challenge, session: mfa.session, code: await totp(secret) } });
    expect(done.status).toBe(200);
    const fresh = (await done.json()) as Tokens;
    expect((await send("/auth/passkeys/registration", { method: "POST", token: fresh.accessToken })).status).toBe(200);
    expect((await send("/auth/mfa/totp", { method: "DELETE", token: fresh.accessToken })).status).toBe(204);
  });

  it("refuses an email-code sign-in of an account with a passkey", async () => {
    const account = await createAccount({ passkey: true });
    const email = String(account.email);
    const got = await challenged({ email, method: "email_otp" });
    await expectProblem(await answer({ email }, got, { code: await lastCode(email) }), 401, "second_factor_required");
  });

  it("still signs in an account without TOTP or a passkey with a code", async () => {
    const account = await createAccount();
    const email = String(account.email);
    const got = await challenged({ email, method: "email_otp" });
    const res = await answer({ email }, got, { code: await lastCode(email) });
    expect(res.status).toBe(200);
    const { accessToken } = (await res.json()) as Tokens;
    expect((await send("/auth/passkeys/registration", { method: "POST", token: accessToken })).status).toBe(200);
  });
});
