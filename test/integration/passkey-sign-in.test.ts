// Signing in with a passkey (USER_AUTH's WEB_AUTHN): the request options for
// navigator.credentials.get, the AuthenticationResponseJSON sent on as
// CREDENTIAL, a fresh sign-in; an assertion used twice, made for another
// challenge or by another account's passkey refused; and a first answer that
// does not tell an account with a passkey from one without, or from none.
import { describe, expect, it } from "vitest";
import type { RequestOptionsJSON } from "../support/authenticator";
import { PAGE, registerPasskey } from "../support/passkeys";
import { answer, type Challenged, challenged } from "../support/user-auth";
import { claimsOf, expectProblem, expectTokens, newEmail, send, setCookie, signedInUser, type Tokens } from "../support/worker";

/** A signed-in user with a software passkey. */
async function userWithPasskey() {
  const user = await signedInUser();
  const { authenticator } = await registerPasskey(user.tokens.accessToken);
  return { ...user, authenticator };
}

const optionsOf = (got: Challenged) => got.credentialRequestOptions as unknown as RequestOptionsJSON;

describe("passkey sign-in (WEB_AUTHN)", () => {
  it("signs in with a passkey: request options, the authenticator's assertion, tokens of a fresh sign-in", async () => {
    const { email, authenticator } = await userWithPasskey();
    const got = await challenged({ email, method: "passkey" });
    expect(got).toEqual({ challenge: "WEB_AUTHN", session: expect.any(String), credentialRequestOptions: expect.any(Object) });
    expect(got.credentialRequestOptions).toMatchObject({ challenge: expect.any(String), rpId: "localhost" });
    expect(got.credentialRequestOptions).not.toHaveProperty("allowCredentials");
    const credential = await authenticator.authenticate(optionsOf(got), { origin: PAGE });
    const res = await answer({ email }, got, { credential });
    const tokens = (await expectTokens(res, { refreshToken: true })) as unknown as Tokens;
    expect(setCookie(res, "__Host-device")).toMatch(/^__Host-device=/);
    expect(Math.abs(Number(claimsOf(tokens.accessToken).auth_time) - Date.now() / 1000)).toBeLessThan(30);
    expect((await send("/auth/mfa/totp/setup", { method: "POST", token: tokens.accessToken })).status).toBe(200);
  });

  it("offers the passkey among the methods and signs in when it is chosen", async () => {
    const { email, authenticator } = await userWithPasskey();
    const choice = await challenged({ email });
    expect(choice.methods).toEqual(["password", "email_otp", "sms_otp", "passkey"]);
    const res = await answer({ email }, choice, { method: "passkey" });
    expect(res.status).toBe(200);
    const got = (await res.json()) as Challenged;
    expect(got.challenge).toBe("WEB_AUTHN");
    await expectTokens(await answer({ email }, got, { credential: await authenticator.authenticate(optionsOf(got), { origin: PAGE }) }), {
      refreshToken: true,
    });
  });

  it("refuses an assertion used twice, one for another challenge, and another account's passkey (401 invalid_credentials)", async () => {
    const victim = await userWithPasskey();
    const first = await challenged({ email: victim.email, method: "passkey" });
    const assertion = await victim.authenticator.authenticate(optionsOf(first), { origin: PAGE });
    await expectTokens(await answer({ email: victim.email }, first, { credential: assertion }), { refreshToken: true });
    const second = await challenged({ email: victim.email, method: "passkey" });
    await expectProblem(await answer({ email: victim.email }, second, { credential: assertion }), 401, "invalid_credentials");
    await expectProblem(await answer({ email: victim.email }, first, { credential: assertion }), 401, "invalid_credentials");
    const attacker = await userWithPasskey();
    const third = await challenged({ email: victim.email, method: "passkey" });
    const foreign = await attacker.authenticator.authenticate(optionsOf(third), { origin: PAGE });
    await expectProblem(await answer({ email: victim.email }, third, { credential: foreign }), 401, "invalid_credentials");
    const phished = await challenged({ email: victim.email, method: "passkey" });
    const elsewhere = await victim.authenticator.authenticate(optionsOf(phished), { origin: "https://evil.example" });
    await expectProblem(await answer({ email: victim.email }, phished, { credential: elsewhere }), 401, "invalid_credentials");
  });

  it("gives an account with a passkey, one without and an unknown email the same first answer", async () => {
    const shape = async (email: string) => {
      const res = await send("/auth/login", { json: { email, method: "passkey" } });
      const { session, credentialRequestOptions, ...rest } = (await res.json()) as Challenged & Record<string, unknown>;
      const options = credentialRequestOptions ?? {};
      const pool = Object.fromEntries(Object.entries(options).filter(([key]) => key !== "challenge"));
      return { status: res.status, session: typeof session, rest, keys: Object.keys(options), pool, headers: [...res.headers].filter(([n]) => n !== "x-request-id") };
    };
    const withPasskey = await shape((await userWithPasskey()).email);
    expect(await shape((await signedInUser()).email)).toEqual(withPasskey);
    for (let i = 0; i < 6; i++) expect(await shape(newEmail())).toEqual(withPasskey);
  });
});
