// The stand-in's token rules, on a stand-in of this file's own in front of the
// suite's cognito-local (so that the suite's call counts stay its own), as the
// AWS API reference states them: user operations
// want the aws.cognito.signin.user.admin scope; RevokeToken ends the access
// tokens of its sign-in, refreshed ones included; a refresh token works only
// with the app client it was issued to; GlobalSignOut ends every session.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { decodeJwt, importJWK, type JWK, SignJWT } from "jose";
import { describe, expect, inject, it } from "vitest";
import { ownStandIn } from "./own-stand-in";
import { secretHashOf } from "./secrets";
import "../../provided";

const cognito = inject("cognito");
const PASSWORD = "Passw0rd!";
const { stand, call } = ownStandIn({
  [cognito.publicClientId]: { poolId: cognito.poolId },
  [cognito.secretClientId]: { poolId: cognito.poolId, secret: cognito.clientSecret },
});

interface Tokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken: string;
}

/** A confirmed user of the public client, signed in. */
async function signedIn(): Promise<{ email: string; tokens: Tokens }> {
  const email = `stand-in-${randomUUID()}@example.com`;
  const ClientId = cognito.publicClientId;
  await call("SignUp", { ClientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: email }] });
  await call("ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: stand.outbox.lastTo(email) });
  return { email, tokens: await signIn(email) };
}

async function signIn(email: string): Promise<Tokens> {
  const { body } = await call("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: cognito.publicClientId,
    AuthParameters: { USERNAME: email, PASSWORD },
  });
  return body.AuthenticationResult as Tokens;
}

const refresh = (token: string, ClientId = cognito.publicClientId, extra: Record<string, string> = {}) =>
  call("InitiateAuth", { AuthFlow: "REFRESH_TOKEN_AUTH", ClientId, AuthParameters: { REFRESH_TOKEN: token, ...extra } });

const getUser = (AccessToken: string) => call("GetUser", { AccessToken });

const refusal = (answer: { status: number; body: Record<string, unknown> }) => [answer.status, answer.body.__type, answer.body.message];

/** `token` signed again with cognito-local's key, with `scope` instead of its own. */
async function withScope(token: string, scope: string | undefined): Promise<string> {
  const require = createRequire(import.meta.url);
  const { jwk } = require("cognito-local/lib/keys/cognitoLocal.private.json") as { jwk: JWK };
  const claims = { ...decodeJwt(token), scope };
  if (scope === undefined) delete claims.scope;
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "CognitoLocal" }).sign(await importJWK(jwk, "RS256"));
}

describe("the stand-in's access-token rules", () => {
  it("refuses every token-authorised user operation without the aws.cognito.signin.user.admin scope", async () => {
    const { tokens } = await signedIn();
    expect((await getUser(await withScope(tokens.AccessToken, "aws.cognito.signin.user.admin openid"))).status).toBe(200);
    const REFUSED = [400, "NotAuthorizedException", "Access Token does not have required scopes"];
    for (const scope of [undefined, "openid email", "aws.cognito.signin.user"]) {
      const AccessToken = await withScope(tokens.AccessToken, scope);
      expect(refusal(await getUser(AccessToken))).toEqual(REFUSED);
      expect(refusal(await call("GlobalSignOut", { AccessToken }))).toEqual(REFUSED);
      expect(refusal(await call("ChangePassword", { AccessToken, PreviousPassword: PASSWORD, ProposedPassword: "N3w-Passw0rd!" }))).toEqual(REFUSED);
      expect(refusal(await call("UpdateUserAttributes", { AccessToken, UserAttributes: [{ Name: "name", Value: "x" }] }))).toEqual(REFUSED);
      expect(refusal(await call("AssociateSoftwareToken", { AccessToken }))).toEqual(REFUSED);
      expect(refusal(await call("VerifySoftwareToken", { AccessToken, UserCode: "123456" }))).toEqual(REFUSED);
      expect(refusal(await call("SetUserMFAPreference", { AccessToken, SoftwareTokenMfaSettings: { Enabled: false } }))).toEqual(REFUSED);
      expect(refusal(await call("DeleteUser", { AccessToken }))).toEqual(REFUSED);
    }
    expect((await getUser(tokens.AccessToken)).status).toBe(200);
  });

  it("RevokeToken ends the access tokens of its sign-in, also those of later refreshes, and no other session", async () => {
    const { email, tokens } = await signedIn();
    const other = await signIn(email);
    const first = (await refresh(tokens.RefreshToken)).body.AuthenticationResult as Tokens;
    const second = (await refresh(tokens.RefreshToken)).body.AuthenticationResult as Tokens;
    const origin = decodeJwt(tokens.AccessToken).origin_jti;
    expect([first, second].map((t) => decodeJwt(t.AccessToken).origin_jti)).toEqual([origin, origin]);
    expect([tokens, first, second].map((t) => decodeJwt(t.IdToken).origin_jti)).toEqual([origin, origin, origin]);

    expect((await call("RevokeToken", { ClientId: cognito.publicClientId, Token: tokens.RefreshToken })).status).toBe(200);
    for (const t of [tokens, first, second]) {
      expect(refusal(await getUser(t.AccessToken))).toEqual([400, "NotAuthorizedException", "Access Token has been revoked"]);
    }
    expect(refusal(await refresh(tokens.RefreshToken))).toEqual([400, "NotAuthorizedException", "Refresh Token has been revoked"]);
    expect((await getUser(other.AccessToken)).status).toBe(200);
    expect((await refresh(other.RefreshToken)).status).toBe(200);
  });

  it("binds a refresh token to the app client it was issued to", async () => {
    const { tokens } = await signedIn();
    const username = String(decodeJwt(tokens.AccessToken).username);
    const SECRET_HASH = secretHashOf(username, cognito.secretClientId, cognito.clientSecret);
    expect(refusal(await refresh(tokens.RefreshToken, cognito.secretClientId, { SECRET_HASH }))).toEqual([
      400,
      "NotAuthorizedException",
      "Invalid Refresh Token",
    ]);
    const revoke = await call("RevokeToken", { ClientId: cognito.secretClientId, ClientSecret: cognito.clientSecret, Token: tokens.RefreshToken });
    expect(revoke.body.__type).toBe("UnauthorizedException");
    expect((await refresh(tokens.RefreshToken)).status).toBe(200);
    expect((await getUser(tokens.AccessToken)).status).toBe(200);
  });

  it("GlobalSignOut ends every session of the user; a new sign-in works", async () => {
    const { email, tokens } = await signedIn();
    const other = await signIn(email);
    expect((await call("GlobalSignOut", { AccessToken: tokens.AccessToken })).status).toBe(200);
    for (const t of [tokens, other]) {
      expect(refusal(await getUser(t.AccessToken))).toEqual([400, "NotAuthorizedException", "Access Token has been revoked"]);
      expect(refusal(await refresh(t.RefreshToken))).toEqual([400, "NotAuthorizedException", "Refresh Token has been revoked"]);
    }
    expect((await getUser((await signIn(email)).AccessToken)).status).toBe(200);
  });
});
