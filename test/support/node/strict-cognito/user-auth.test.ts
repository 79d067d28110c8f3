// The stand-in's USER_AUTH with passkeys, through a fake PasskeyPort (the real
// store is passkeys.ts): WEB_AUTHN offered to a user with a passkey, its
// CREDENTIAL_REQUEST_OPTIONS from the port, a credential the port refuses
// turned away, one it verifies signing in (also straight from
// SELECT_CHALLENGE, as the API reference allows), with tokens that work like
// cognito-local's: GetUser, REFRESH_TOKEN_AUTH, RevokeToken. On a stand-in of
// this file's own (own-stand-in.ts).
import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { describe, expect, inject, it } from "vitest";
import { ownStandIn } from "./own-stand-in";
import type { PasskeyPort } from "./passkey-port";
import "../../provided";

const cognito = inject("cognito");
const ClientId = cognito.publicClientId;
const OPTIONS = { challenge: "c2VydmVyLWNoYWxsZW5nZQ", rpId: "example.com", allowCredentials: [{ id: "Y3JlZA", type: "public-key" }] };

/** Passkeys of the users `owners` lists; the credential "good" verifies once per challenge. */
class FakePasskeys implements PasskeyPort {
  readonly owners = new Set<string>();
  readonly asked: string[] = [];
  private readonly issued = new Set<string>();
  has = (username: string) => this.owners.has(username);
  requestOptions(username: string): string {
    this.issued.add(username);
    return JSON.stringify(OPTIONS);
  }
  async verify(username: string, credential: string): Promise<boolean> {
    this.asked.push(credential);
    const ok = this.issued.has(username) && JSON.parse(credential).id === "good";
    this.issued.delete(username);
    return ok;
  }
}

const passkeys = new FakePasskeys();
const { stand, call } = ownStandIn({ [ClientId]: { poolId: cognito.poolId } }, { passkeys });

/** A confirmed passwordless user with a passkey (in the fake store). */
async function userWithPasskey(): Promise<{ email: string; username: string }> {
  const email = `passkey-${randomUUID()}@example.com`;
  const signUp = await call("SignUp", { ClientId, Username: email, UserAttributes: [{ Name: "email", Value: email }] });
  expect(signUp.status).toBe(200);
  expect((await call("ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: stand.outbox.lastTo(email) })).status).toBe(200);
  const username = String(signUp.body.UserSub);
  passkeys.owners.add(username);
  return { email, username };
}

const credential = (id: string) => JSON.stringify({ id, rawId: id, type: "public-key", response: {} });
const userAuth = (email: string, preferred?: string) =>
  call("InitiateAuth", { AuthFlow: "USER_AUTH", ClientId, AuthParameters: { USERNAME: email, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) } });
const respond = (email: string, ChallengeName: string, Session: unknown, responses: Record<string, string>) =>
  call("RespondToAuthChallenge", { ClientId, ChallengeName, Session, ChallengeResponses: { USERNAME: email, ...responses } });

describe("the stand-in's WEB_AUTHN (USER_AUTH) through the PasskeyPort", () => {
  it("issues the port's request options, refuses a credential it does not verify, and signs in with one it does", async () => {
    const { email, username } = await userWithPasskey();
    const first = await userAuth(email, "WEB_AUTHN");
    expect(first.body).toMatchObject({ ChallengeName: "WEB_AUTHN", ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(OPTIONS) } });
    const refused = await respond(email, "WEB_AUTHN", first.body.Session, { CREDENTIAL: credential("bad") });
    expect([refused.status, refused.body.__type]).toEqual([400, "NotAuthorizedException"]);
    // Once per challenge: the refused session is spent.
    const replay = await respond(email, "WEB_AUTHN", first.body.Session, { CREDENTIAL: credential("good") });
    expect(replay.body.__type).toBe("NotAuthorizedException");

    const second = await userAuth(email, "WEB_AUTHN");
    const signedIn = await respond(email, "WEB_AUTHN", second.body.Session, { CREDENTIAL: credential("good") });
    expect(signedIn.status).toBe(200);
    const tokens = signedIn.body.AuthenticationResult as { AccessToken: string; RefreshToken: string };
    expect(decodeJwt(tokens.AccessToken)).toMatchObject({ username, token_use: "access", client_id: ClientId });
    expect(passkeys.asked.slice(-2).map((c) => JSON.parse(c).id)).toEqual(["bad", "good"]);
    expect((await call("GetUser", { AccessToken: tokens.AccessToken })).status).toBe(200);
    const refreshed = await call("InitiateAuth", { AuthFlow: "REFRESH_TOKEN_AUTH", ClientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } });
    expect(refreshed.status).toBe(200);
    expect((await call("RevokeToken", { ClientId, Token: tokens.RefreshToken })).status).toBe(200);
    const revoked = await call("GetUser", { AccessToken: tokens.AccessToken });
    expect([revoked.status, revoked.body.message]).toEqual([400, "Access Token has been revoked"]);
  });

  it("lists WEB_AUTHN among the choices and issues its challenge when it is chosen", async () => {
    const { email } = await userWithPasskey();
    const choice = await userAuth(email);
    expect(choice.body.ChallengeName).toBe("SELECT_CHALLENGE");
    expect([...(choice.body.AvailableChallenges as string[])].sort()).toEqual(["EMAIL_OTP", "WEB_AUTHN"]);
    const offered = await respond(email, "SELECT_CHALLENGE", choice.body.Session, { ANSWER: "WEB_AUTHN" });
    expect(offered.body).toMatchObject({ ChallengeName: "WEB_AUTHN", ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(OPTIONS) } });
    const signedIn = await respond(email, "WEB_AUTHN", offered.body.Session, { CREDENTIAL: credential("good") });
    expect(signedIn.body.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), RefreshToken: expect.any(String) });
  });

  it("offers no WEB_AUTHN to a user who has no passkey: the choice instead", async () => {
    const email = `no-passkey-${randomUUID()}@example.com`;
    await call("SignUp", { ClientId, Username: email, UserAttributes: [{ Name: "email", Value: email }] });
    await call("ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: stand.outbox.lastTo(email) });
    const answer = await userAuth(email, "WEB_AUTHN");
    expect(answer.body).toMatchObject({ ChallengeName: "SELECT_CHALLENGE", AvailableChallenges: ["EMAIL_OTP"] });
  });
});
