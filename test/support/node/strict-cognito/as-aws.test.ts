// What the stand-in does as AWS does it, where a looser stand-in once hid
// defects of the Worker: every session shaped like Cognito's (cognito-local's
// own too, exchanged on the way out and back on the way in); first factors
// per pool; an unknown user who asks for PASSWORD gets a random challenge;
// code sends that fail with LimitExceededException or
// CodeDeliveryFailureException on demand; USERNAME as any alias of the
// session's user; and accounts of every shape made through /__user. On a
// stand-in of this file's own (own-stand-in.ts), with both pools of the suite.
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { SoftwareAuthenticator } from "../../authenticator";
import { totp } from "../../totp";
import { SESSION_HEADER } from "./cognito-session";
import { ownStandIn } from "./own-stand-in";
import "../../provided";

const cognito = inject("cognito");
const second = cognito.passwordPasskeyPool;
const PASSWORD = "Passw0rd!";
const { stand, call, control } = ownStandIn(
  { [cognito.publicClientId]: { poolId: cognito.poolId }, [second.publicClientId]: { poolId: second.poolId } },
  { pools: { [cognito.poolId]: { firstFactors: cognito.firstFactors }, [second.poolId]: { firstFactors: second.firstFactors } } },
);

const clientOf = (pool: "main" | "second") => (pool === "main" ? cognito.publicClientId : second.publicClientId);
const poolIdOf = (pool: "main" | "second") => (pool === "main" ? cognito.poolId : second.poolId);
const newEmail = () => `as-aws-${randomUUID()}@example.com`;
/** SELECT_CHALLENGE's AvailableChallenges, sorted: AWS documents no order, and the stand-in shuffles them. */
const offered = (body: Record<string, unknown>) => [...(body.AvailableChallenges as string[])].sort();
const newPhone = () => `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;

/** A confirmed account made through /__user; answers its Cognito username. */
async function account(pool: "main" | "second", spec: { email?: string; phone?: string; password?: string; passkey?: boolean }) {
  const made = await control("/__user", { poolId: poolIdOf(pool), ...spec });
  expect(made.status).toBe(200);
  return made.body as { username: string; passkeyCreationOptions?: Parameters<SoftwareAuthenticator["register"]>[0] };
}

const userAuth = (pool: "main" | "second", params: Record<string, string>) =>
  call("InitiateAuth", { AuthFlow: "USER_AUTH", ClientId: clientOf(pool), AuthParameters: params });
const respond = (pool: "main" | "second", ChallengeName: string, Session: unknown, responses: Record<string, string>) =>
  call("RespondToAuthChallenge", { ClientId: clientOf(pool), ChallengeName, Session, ChallengeResponses: responses });

function expectCognitoShaped(session: unknown) {
  expect(session).toMatch(/^AYAB[A-Za-z0-9+/]{900,}={0,2}$/);
  const bytes = Buffer.from(String(session), "base64");
  expect(bytes.subarray(0, 4)).toEqual(SESSION_HEADER);
  expect(bytes.includes("CognitoUserPools")).toBe(true);
}

describe("sessions shaped like Cognito's", () => {
  it("answers cognito-local's SOFTWARE_TOKEN_MFA session in Cognito's shape and takes it back", async () => {
    const email = newEmail();
    await account("main", { email, password: PASSWORD });
    const ClientId = cognito.publicClientId;
    const login = () => call("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH", ClientId, AuthParameters: { USERNAME: email, PASSWORD } });
    const { AccessToken } = (await login()).body.AuthenticationResult as { AccessToken: string };
    const { SecretCode } = (await call("AssociateSoftwareToken", { AccessToken })).body as { SecretCode: string };
    expect((await call("VerifySoftwareToken", { AccessToken, UserCode: await totp(SecretCode) })).status).toBe(200);
    const preference = { AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } };
    expect((await call("SetUserMFAPreference", preference)).status).toBe(200);
    const challenged = await login();
    expect(challenged.body.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    expectCognitoShaped(challenged.body.Session);
    const answered = await respond("main", "SOFTWARE_TOKEN_MFA", challenged.body.Session, { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: await totp(SecretCode) });
    expect(answered.body.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String) });
  });

  it("gives every session a new message ID and the same length for the same name", async () => {
    const email = newEmail();
    await account("main", { email, password: PASSWORD });
    const [a, b] = [await userAuth("main", { USERNAME: email }), await userAuth("main", { USERNAME: email })];
    expectCognitoShaped(a.body.Session);
    expect(a.body.Session).not.toBe(b.body.Session);
    expect(String(a.body.Session).length).toBe(String(b.body.Session).length);
  });
});

describe("first factors per pool", () => {
  it("offers a password account of the PASSWORD and WEB_AUTHN pool only PASSWORD, where the main pool adds EMAIL_OTP", async () => {
    const [main, other] = [newEmail(), newEmail()];
    await account("main", { email: main, password: PASSWORD });
    await account("second", { email: other, password: PASSWORD });
    expect(offered((await userAuth("main", { USERNAME: main })).body)).toEqual(["EMAIL_OTP", "PASSWORD", "PASSWORD_SRP"]);
    expect(offered((await userAuth("second", { USERNAME: other })).body)).toEqual(["PASSWORD", "PASSWORD_SRP"]);
  });

  it("refuses a passwordless account where no one-time code can sign in", async () => {
    const made = await control("/__user", { poolId: second.poolId, email: newEmail() });
    expect([made.status, made.body.__type]).toEqual([400, "InvalidParameterException"]);
    expect((await account("main", { email: newEmail() })).username).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an unknown user's challenges only from the pool's own first factors", async () => {
    for (let i = 0; i < 12; i++) {
      const got = await userAuth("second", { USERNAME: newEmail() });
      expect(["PASSWORD", "WEB_AUTHN"]).toContain(got.body.ChallengeName);
    }
  });
});

describe("an unknown user asking for PASSWORD", () => {
  it("gets a random challenge of the pool's first factors, with a session, not NotAuthorizedException", async () => {
    const seen = new Set<unknown>();
    for (let i = 0; i < 16; i++) {
      const got = await userAuth("main", { USERNAME: newEmail(), PREFERRED_CHALLENGE: "PASSWORD", PASSWORD });
      expect(got.status).toBe(200);
      expectCognitoShaped(got.body.Session);
      seen.add(got.body.ChallengeName);
    }
    expect(seen.size).toBeGreaterThan(1);
    for (const name of seen) expect(cognito.firstFactors).toContain(name);
  });

  it("while a known user with a wrong password is refused", async () => {
    const email = newEmail();
    await account("main", { email, password: PASSWORD });
    const got = await userAuth("main", { USERNAME: email, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: "Wr0ng-password!" });
    expect([got.status, got.body.__type]).toEqual([400, "NotAuthorizedException"]);
  });
});

describe("code sends that fail on demand", () => {
  it("answers LimitExceededException to the USER_AUTH call that would send the code, and only to it", async () => {
    const email = newEmail();
    await account("main", { email, password: PASSWORD });
    const ClientId = cognito.publicClientId;
    stand.faults.add({ op: "InitiateAuth", clientId: ClientId, username: email, answer: "EMAIL_OTP", kind: "error", type: "LimitExceededException", message: "Attempt limit exceeded, please try after some time.", times: 1 });
    expect((await userAuth("main", { USERNAME: email })).body.ChallengeName).toBe("SELECT_CHALLENGE");
    const refused = await userAuth("main", { USERNAME: email, PREFERRED_CHALLENGE: "EMAIL_OTP" });
    expect([refused.status, refused.body.__type]).toEqual([400, "LimitExceededException"]);
    // AWS declares no LimitExceededException for InitiateAuth: the answer check records it, as it does any a test injects.
    expect(stand.violations.splice(-1)).toEqual([expect.stringContaining("InitiateAuth: answers LimitExceededException")]);
    expect((await userAuth("main", { USERNAME: email, PREFERRED_CHALLENGE: "EMAIL_OTP" })).body.ChallengeName).toBe("EMAIL_OTP");
  });

  it("answers CodeDeliveryFailureException to a SELECT_CHALLENGE that chooses the code", async () => {
    const email = newEmail();
    await account("main", { email, password: PASSWORD });
    stand.faults.add({ op: "RespondToAuthChallenge", username: email, answer: "EMAIL_OTP", kind: "error", type: "CodeDeliveryFailureException", message: "Unable to deliver code.", times: 1 });
    const choice = await userAuth("main", { USERNAME: email });
    const refused = await respond("main", "SELECT_CHALLENGE", choice.body.Session, { USERNAME: email, ANSWER: "EMAIL_OTP" });
    expect([refused.status, refused.body.__type]).toEqual([400, "CodeDeliveryFailureException"]);
    // AWS declares no CodeDeliveryFailureException for RespondToAuthChallenge: the answer check records it, as it does any a test injects.
    expect(stand.violations.splice(-1)).toEqual([expect.stringContaining("RespondToAuthChallenge: answers CodeDeliveryFailureException")]);
  });
});

describe("USERNAME as any alias of the session's user", () => {
  it("takes the phone number or Cognito's username for a sign-in started with the email, and not another user's", async () => {
    const [email, phone] = [newEmail(), newPhone()];
    const { username } = await account("main", { email, phone, password: PASSWORD });
    const other = newEmail();
    await account("main", { email: other, password: PASSWORD });
    for (const alias of [phone, username]) {
      const choice = await userAuth("main", { USERNAME: email });
      expect(offered(choice.body)).toEqual(["EMAIL_OTP", "PASSWORD", "PASSWORD_SRP", "SMS_OTP"]);
      const sent = await respond("main", "SELECT_CHALLENGE", choice.body.Session, { USERNAME: alias, ANSWER: "SMS_OTP" });
      expect(sent.body.ChallengeName).toBe("SMS_OTP");
      const code = String(stand.outbox.lastTo(phone));
      const signedIn = await respond("main", "SMS_OTP", sent.body.Session, { USERNAME: email, SMS_OTP_CODE: code });
      expect(signedIn.body.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String) });
    }
    const choice = await userAuth("main", { USERNAME: email });
    const foreign = await respond("main", "SELECT_CHALLENGE", choice.body.Session, { USERNAME: other, ANSWER: "PASSWORD", PASSWORD });
    expect([foreign.status, foreign.body.message]).toEqual([400, "Invalid session for the user."]);
  });
});

describe("accounts made through /__user", () => {
  it("makes a passkey account on the PASSWORD and WEB_AUTHN pool that signs in with its passkey", async () => {
    const email = newEmail();
    const made = await account("second", { email, password: PASSWORD, passkey: true });
    const authenticator = await SoftwareAuthenticator.create();
    const origin = "http://localhost:8787";
    if (!made.passkeyCreationOptions) throw new Error("no passkey creation options");
    const credential = await authenticator.register(made.passkeyCreationOptions, { origin });
    expect((await control("/__passkey", { poolId: second.poolId, username: made.username, credential })).status).toBe(200);
    const choice = await userAuth("second", { USERNAME: email });
    expect(offered(choice.body)).toEqual(["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]);
    const asked = await userAuth("second", { USERNAME: email, PREFERRED_CHALLENGE: "WEB_AUTHN" });
    const options = JSON.parse(String((asked.body.ChallengeParameters as Record<string, string>).CREDENTIAL_REQUEST_OPTIONS));
    const assertion = await authenticator.authenticate(options, { origin });
    const signedIn = await respond("second", "WEB_AUTHN", asked.body.Session, { USERNAME: email, CREDENTIAL: JSON.stringify(assertion) });
    expect(signedIn.body.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String) });
  });

  it("makes a phone-only passwordless account on the main pool with SMS_OTP its only first factor", async () => {
    const phone = newPhone();
    await account("main", { phone });
    expect(offered((await userAuth("main", { USERNAME: phone })).body)).toEqual(["SMS_OTP"]);
  });
});
