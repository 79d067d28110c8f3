// The stand-in's GetTokensFromRefreshToken, on a stand-in of this file's own in
// front of the suite's cognito-local, with grace periods of its own for the
// suite's rotating app clients, as the AWS API reference and the developer
// guide (Refresh tokens, Refresh token rotation) describe it: a new refresh
// token per refresh with rotation, the replaced one valid for the grace period
// only, ClientSecret instead of SECRET_HASH, no REFRESH_TOKEN_AUTH for a
// rotating client, and none of it without rotation.
import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { describe, expect, inject, it } from "vitest";
import { type Body, ownStandIn } from "./own-stand-in";
import { secretHashOf } from "./secrets";
import "../../provided";

const cognito = inject("cognito");
const PASSWORD = "Passw0rd!";
const GRACE_S = 1;
const rotating = (kind: "public" | "secret") => {
  const found = cognito.rotatingClients.find((c) => c.kind === kind);
  if (!found) throw new Error(`no rotating ${kind} client`);
  return found;
};
/** Grace GRACE_S here, whatever the suite gives it. */
const withGrace = rotating("public");
/** Grace 0 here: "a successful request immediately invalidates the submitted refresh token". */
const immediate = rotating("secret");
const { stand, call, control } = ownStandIn({
  [cognito.publicClientId]: { poolId: cognito.poolId },
  [withGrace.clientId]: { poolId: cognito.poolId, rotation: { graceSeconds: GRACE_S } },
  [immediate.clientId]: { poolId: cognito.poolId, secret: immediate.clientSecret, rotation: { graceSeconds: 0 } },
});

interface Tokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
}

const result = (answer: { status: number; body: Body }): Tokens => {
  expect(answer.status).toBe(200);
  return answer.body.AuthenticationResult as Tokens;
};

const refusal = (answer: { status: number; body: Body }) => [answer.status, answer.body.__type, answer.body.message];
const INVALID = [400, "NotAuthorizedException", "Invalid Refresh Token"];
const REVOKED = [400, "NotAuthorizedException", "Refresh Token has been revoked"];
const REUSED = [400, "RefreshTokenReuseException", "The refresh token has been used before."];

/** A new confirmed user, signed in to `clientId` (with SECRET_HASH when it has `secret`). */
async function signedIn(clientId: string, secret?: string): Promise<Tokens> {
  const email = `rotation-${randomUUID()}@example.com`;
  const ClientId = cognito.publicClientId;
  await call("SignUp", { ClientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: email }] });
  await call("ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: stand.outbox.lastTo(email) });
  const hash = secret ? { SECRET_HASH: secretHashOf(email, clientId, secret) } : {};
  const auth = { AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD, ...hash } };
  return result(await call("InitiateAuth", auth));
}

const getTokens = (RefreshToken: string | undefined, ClientId = withGrace.clientId, ClientSecret?: string) =>
  call("GetTokensFromRefreshToken", { RefreshToken, ClientId, ClientSecret });

describe("the stand-in's GetTokensFromRefreshToken", () => {
  it("rotates: new tokens of the same sign-in (origin_jti, auth_time) and a new refresh token that works in turn", async () => {
    const first = await signedIn(withGrace.clientId);
    const second = result(await getTokens(first.RefreshToken));
    expect(second.RefreshToken).toEqual(expect.any(String));
    expect(second.RefreshToken).not.toBe(first.RefreshToken);
    for (const claim of ["origin_jti", "auth_time", "username"]) {
      expect(decodeJwt(second.AccessToken)[claim]).toBe(decodeJwt(first.AccessToken)[claim]);
    }
    expect(decodeJwt(second.IdToken).origin_jti).toBe(decodeJwt(first.IdToken).origin_jti);
    // AWS: the new refresh token is valid for the remaining time of the original.
    expect(decodeJwt(String(second.RefreshToken)).exp).toBe(decodeJwt(String(first.RefreshToken)).exp);
    const third = result(await getTokens(second.RefreshToken));
    expect((await call("GetUser", { AccessToken: third.AccessToken })).status).toBe(200);
  });

  it("honours the replaced token during the grace period only; the newest token keeps working", async () => {
    const first = await signedIn(withGrace.clientId);
    const second = result(await getTokens(first.RefreshToken));
    // A retry within the grace period: new tokens again, each refresh token valid.
    const retried = result(await getTokens(first.RefreshToken));
    expect(retried.RefreshToken).not.toBe(second.RefreshToken);
    await new Promise((resolve) => setTimeout(resolve, GRACE_S * 1000 + 200));
    expect(refusal(await getTokens(first.RefreshToken))).toEqual(REUSED);
    expect(result(await getTokens(second.RefreshToken)).RefreshToken).toEqual(expect.any(String));
    expect(result(await getTokens(retried.RefreshToken)).RefreshToken).toEqual(expect.any(String));
  });

  it("/__elapse runs the grace period out for the named user only, as the clock would", async () => {
    const [mine, theirs] = [await signedIn(withGrace.clientId), await signedIn(withGrace.clientId)];
    const [myNext, theirNext] = [result(await getTokens(mine.RefreshToken)), result(await getTokens(theirs.RefreshToken))];
    const elapsed = await control("/__elapse", { username: decodeJwt(mine.AccessToken).username, seconds: GRACE_S });
    expect(elapsed).toEqual({ status: 200, body: { moved: 1 } });
    expect(refusal(await getTokens(mine.RefreshToken))).toEqual(REUSED);
    expect(result(await getTokens(myNext.RefreshToken)).RefreshToken).toEqual(expect.any(String));
    // The other user's replaced token is still within its grace period.
    expect(result(await getTokens(theirs.RefreshToken)).RefreshToken).toEqual(expect.any(String));
    expect(result(await getTokens(theirNext.RefreshToken)).RefreshToken).toEqual(expect.any(String));
  });

  it("with a grace period of 0, refuses the replaced token at once", async () => {
    const first = await signedIn(immediate.clientId, immediate.clientSecret);
    const second = result(await getTokens(first.RefreshToken, immediate.clientId, immediate.clientSecret));
    expect(refusal(await getTokens(first.RefreshToken, immediate.clientId, immediate.clientSecret))).toEqual(REUSED);
    expect(result(await getTokens(second.RefreshToken, immediate.clientId, immediate.clientSecret)).RefreshToken).toEqual(expect.any(String));
  });

  it("takes the client secret as ClientSecret: refuses it missing or wrong, and SECRET_HASH is no member", async () => {
    const first = await signedIn(immediate.clientId, immediate.clientSecret);
    const refused = [400, "NotAuthorizedException", "Client secret is missing or wrong"];
    expect(refusal(await getTokens(first.RefreshToken, immediate.clientId))).toEqual(refused);
    const wrong = `${String(immediate.clientSecret).slice(0, -1)}${immediate.clientSecret?.endsWith("a") ? "b" : "a"}`;
    expect(refusal(await getTokens(first.RefreshToken, immediate.clientId, wrong))).toEqual(refused);
    const before = stand.violations.length;
    const hashed = await call("GetTokensFromRefreshToken", { RefreshToken: first.RefreshToken, ClientId: immediate.clientId, SecretHash: "x" });
    expect(hashed.body.__type).toBe("ContractViolation");
    expect(stand.violations.splice(before)).toEqual([expect.stringContaining("SecretHash: unknown member")]);
  });

  it("refuses REFRESH_TOKEN_AUTH from a rotating client", async () => {
    const first = await signedIn(withGrace.clientId);
    const refresh = { AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: withGrace.clientId, AuthParameters: { REFRESH_TOKEN: first.RefreshToken } };
    expect(refusal(await call("InitiateAuth", refresh))).toEqual([400, "InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client"]);
  });

  it("without rotation, answers no refresh token and the presented one keeps working", async () => {
    const first = await signedIn(cognito.publicClientId);
    const again = result(await getTokens(first.RefreshToken, cognito.publicClientId));
    expect(again.RefreshToken).toBeUndefined();
    expect(decodeJwt(again.AccessToken).origin_jti).toBe(decodeJwt(first.AccessToken).origin_jti);
    expect(result(await getTokens(first.RefreshToken, cognito.publicClientId)).RefreshToken).toBeUndefined();
  });

  it("refuses a token it never issued and one of another app client", async () => {
    const first = await signedIn(withGrace.clientId);
    const forged = `${String(first.RefreshToken).slice(0, -4)}AAAA`;
    expect(refusal(await getTokens(forged))).toEqual(INVALID);
    expect(refusal(await getTokens(first.RefreshToken, cognito.publicClientId))).toEqual(INVALID);
  });

  it("RevokeToken with the family reading ends every token of a rotated family, replaced ones within their grace period included", async () => {
    for (const revoked of ["newest", "replaced"] as const) {
      const first = await signedIn(withGrace.clientId);
      stand.readings.choose(String(decodeJwt(first.AccessToken).username), { revoke: "family" });
      const second = result(await getTokens(first.RefreshToken));
      const token = revoked === "newest" ? second.RefreshToken : first.RefreshToken;
      expect((await call("RevokeToken", { ClientId: withGrace.clientId, Token: token })).status).toBe(200);
      expect(refusal(await getTokens(first.RefreshToken))).toEqual(REVOKED);
      expect(refusal(await getTokens(second.RefreshToken))).toEqual(REVOKED);
      expect((await call("GetUser", { AccessToken: second.AccessToken })).body.__type).toBe("NotAuthorizedException");
    }
  });

  it("RevokeToken by AWS's words ends the presented token and its access tokens, not the tokens rotated from or into it", async () => {
    const first = await signedIn(withGrace.clientId);
    const second = result(await getTokens(first.RefreshToken));
    expect((await call("RevokeToken", { ClientId: withGrace.clientId, Token: second.RefreshToken })).status).toBe(200);
    expect(refusal(await getTokens(second.RefreshToken))).toEqual(REVOKED);
    expect((await call("GetUser", { AccessToken: second.AccessToken })).body.__type).toBe("NotAuthorizedException");
    expect((await call("GetUser", { AccessToken: first.AccessToken })).status).toBe(200);
    expect(result(await getTokens(first.RefreshToken)).RefreshToken).toEqual(expect.any(String));
  });

  it("keeps the sign-in's origin_jti across rotation, or gives the rotated token its own, as the user's reading says", async () => {
    const first = await signedIn(withGrace.clientId);
    const kept = result(await getTokens(first.RefreshToken));
    expect(decodeJwt(kept.AccessToken).origin_jti).toBe(decodeJwt(first.AccessToken).origin_jti);
    stand.readings.choose(String(decodeJwt(first.AccessToken).username), { originJti: "new" });
    const own = result(await getTokens(kept.RefreshToken));
    expect(decodeJwt(own.AccessToken).origin_jti).not.toBe(decodeJwt(first.AccessToken).origin_jti);
    expect(decodeJwt(own.AccessToken).auth_time).toBe(decodeJwt(first.AccessToken).auth_time);
  });

});
