// The stand-in's passkeys: the four registration operations as Cognito answers
// them, and the port USER_AUTH's WEB_AUTHN challenge uses, fed by the workerd
// tests' software passkey.
import { describe, expect, it } from "vitest";
import { type CreationOptionsJSON, type RequestOptionsJSON, SoftwareAuthenticator } from "../../authenticator";
import type { Answer, Json } from "./emulated";
import { Passkeys } from "./passkeys";
import { originAllowed } from "./webauthn-checks";

const ORIGIN = "http://localhost:8787";
const CLIENT = "client-a";

/** An access token as the stand-in reads it after verifying it: only its claims matter here. */
const tokenOf = (username: string, clientId = CLIENT) =>
  `e30.${Buffer.from(JSON.stringify({ username, client_id: clientId })).toString("base64url")}.sig`;

/** cognito-local's GetUser, as far as passkeys.ts reads it. */
async function forward(_op: string, input: Json): Promise<Answer> {
  const username = JSON.parse(Buffer.from(String(input.AccessToken).split(".")[1], "base64url").toString()).username;
  return { status: 200, body: { Username: username, UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] } };
}

const typeOf = (answer: Answer | undefined) => (answer?.body as Json | undefined)?.__type;

async function start(passkeys: Passkeys, username: string, clientId = CLIENT): Promise<CreationOptionsJSON> {
  const answer = await passkeys.handle("StartWebAuthnRegistration", { AccessToken: tokenOf(username, clientId) });
  expect(answer?.status).toBe(200);
  if (!answer) throw new Error("StartWebAuthnRegistration was not answered");
  return (answer.body as { CredentialCreationOptions: CreationOptionsJSON }).CredentialCreationOptions;
}

const complete = (passkeys: Passkeys, username: string, credential: unknown, clientId = CLIENT) =>
  passkeys.handle("CompleteWebAuthnRegistration", { AccessToken: tokenOf(username, clientId), Credential: credential });

async function list(passkeys: Passkeys, username: string, page: Json = {}) {
  const answer = await passkeys.handle("ListWebAuthnCredentials", { AccessToken: tokenOf(username), ...page });
  return answer?.body as { Credentials: Json[]; NextToken?: string };
}

/** A store where `username` has registered `authenticator`. */
async function withPasskey(username = "alice") {
  const passkeys = new Passkeys({ relyingPartyId: "localhost" }, forward);
  const authenticator = await SoftwareAuthenticator.create();
  const response = await authenticator.register(await start(passkeys, username), { origin: ORIGIN });
  expect(await complete(passkeys, username, response)).toEqual({ status: 200, body: {} });
  return { passkeys, authenticator };
}

describe("stand-in passkey registration", () => {
  it("answers StartWebAuthnRegistration with creation options for the pool's relying party and the user", async () => {
    const passkeys = new Passkeys({ relyingPartyId: "localhost" }, forward);
    const options = await start(passkeys, "alice");
    expect(options).toMatchObject({
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      rp: { id: "localhost" },
      user: { id: expect.any(String), name: "alice@example.com", displayName: "alice@example.com" },
      pubKeyCredParams: expect.arrayContaining([{ type: "public-key", alg: -7 }]),
      excludeCredentials: [],
    });
  });

  it("verifies a registration for real and lists the passkey", async () => {
    const { passkeys, authenticator } = await withPasskey();
    const { Credentials } = await list(passkeys, "alice");
    expect(Credentials).toEqual([
      {
        CredentialId: authenticator.id,
        FriendlyCredentialName: expect.any(String),
        RelyingPartyId: "localhost",
        AuthenticatorAttachment: "platform",
        AuthenticatorTransports: ["internal"],
        CreatedAt: expect.any(Number),
      },
    ]);
    expect([passkeys.has("alice"), passkeys.has("bob")]).toEqual([true, false]);
    // A second registration excludes the first passkey, as Cognito's options do.
    expect((await start(passkeys, "alice")).excludeCredentials).toEqual([{ type: "public-key", id: authenticator.id, transports: ["internal"] }]);
  });

  it("refuses a registration that was never started, a replayed one, and one over another user's challenge", async () => {
    const passkeys = new Passkeys({ relyingPartyId: "localhost" }, forward);
    const authenticator = await SoftwareAuthenticator.create();
    const aliceOptions = await start(passkeys, "alice");
    const aliceResponse = await authenticator.register(aliceOptions, { origin: ORIGIN });
    expect(typeOf(await complete(passkeys, "carol", aliceResponse))).toBe("WebAuthnChallengeNotFoundException");
    await start(passkeys, "bob");
    expect(typeOf(await complete(passkeys, "bob", aliceResponse))).toBe("WebAuthnChallengeNotFoundException");
    expect(await complete(passkeys, "alice", aliceResponse)).toEqual({ status: 200, body: {} });
    expect(typeOf(await complete(passkeys, "alice", aliceResponse))).toBe("WebAuthnChallengeNotFoundException");
    await start(passkeys, "alice");
    expect(typeOf(await complete(passkeys, "alice", aliceResponse))).toBe("WebAuthnChallengeNotFoundException");
    expect(await list(passkeys, "bob")).toEqual({ Credentials: [] });
  });

  it.each([
    ["another origin", { origin: "https://evil.example" }, "WebAuthnOriginNotAllowedException"],
    ["plain http off localhost", { origin: "http://localhost.evil.example" }, "WebAuthnOriginNotAllowedException"],
    ["another relying party", { origin: ORIGIN, rpId: "evil.example" }, "WebAuthnRelyingPartyMismatchException"],
  ])("refuses a registration from %s", async (_case, ceremony, type) => {
    const passkeys = new Passkeys({ relyingPartyId: "localhost" }, forward);
    const authenticator = await SoftwareAuthenticator.create();
    const response = await authenticator.register(await start(passkeys, "alice"), ceremony);
    expect(typeOf(await complete(passkeys, "alice", response))).toBe(type);
    expect(passkeys.has("alice")).toBe(false);
  });

  it("refuses a registration completed by another app client, and credentials that are not registration responses", async () => {
    const passkeys = new Passkeys({ relyingPartyId: "localhost" }, forward);
    const authenticator = await SoftwareAuthenticator.create();
    const response = await authenticator.register(await start(passkeys, "alice"), { origin: ORIGIN });
    expect(typeOf(await complete(passkeys, "alice", response, "client-b"))).toBe("WebAuthnClientMismatchException");
    const garbled = { ...response, response: { ...response.response, attestationObject: "AAAA" } };
    for (const credential of ["text", [], {}, { ...response, response: {} }]) {
      expect(typeOf(await complete(passkeys, "alice", credential))).toBe("InvalidParameterException");
    }
    const options = await start(passkeys, "alice");
    const fresh = await authenticator.register(options, { origin: ORIGIN });
    expect(typeOf(await complete(passkeys, "alice", { ...garbled, response: { ...garbled.response, clientDataJSON: fresh.response.clientDataJSON } }))).toBe(
      "InvalidParameterException",
    );
  });

  it("deletes only the caller's own passkeys, and pages the list with NextToken", async () => {
    const { passkeys, authenticator } = await withPasskey("alice");
    for (let i = 0; i < 2; i++) {
      const another = await SoftwareAuthenticator.create();
      expect(await complete(passkeys, "alice", await another.register(await start(passkeys, "alice"), { origin: ORIGIN }))).toMatchObject({ status: 200 });
    }
    const first = await list(passkeys, "alice", { MaxResults: 2 });
    expect(first.Credentials).toHaveLength(2);
    const second = await list(passkeys, "alice", { MaxResults: 2, NextToken: first.NextToken });
    expect({ count: second.Credentials.length, next: second.NextToken }).toEqual({ count: 1, next: undefined });
    const remove = (username: string) =>
      passkeys.handle("DeleteWebAuthnCredential", { AccessToken: tokenOf(username), CredentialId: authenticator.id });
    expect(typeOf(await remove("bob"))).toBe("ResourceNotFoundException");
    expect(await remove("alice")).toEqual({ status: 200, body: {} });
    expect(typeOf(await remove("alice"))).toBe("ResourceNotFoundException");
    expect((await list(passkeys, "alice")).Credentials.map((c) => c.CredentialId)).not.toContain(authenticator.id);
  });
});

describe("stand-in passkey sign-in (PasskeyPort)", () => {
  const requestOptions = (passkeys: Passkeys, username: string): RequestOptionsJSON => JSON.parse(passkeys.requestOptions(username));

  it("issues request options that name the user's passkeys, and verifies an assertion once", async () => {
    const { passkeys, authenticator } = await withPasskey();
    const options = requestOptions(passkeys, "alice");
    expect(options).toMatchObject({ rpId: "localhost", allowCredentials: [{ type: "public-key", id: authenticator.id }] });
    const assertion = JSON.stringify(await authenticator.authenticate(options, { origin: ORIGIN }));
    expect(await passkeys.verify("alice", assertion)).toBe(true);
    expect(await passkeys.verify("alice", assertion)).toBe(false);
    // The next challenge verifies with the next signature counter.
    expect(await passkeys.verify("alice", JSON.stringify(await authenticator.authenticate(requestOptions(passkeys, "alice"), { origin: ORIGIN })))).toBe(true);
  });

  it("does not verify an assertion from another origin, relying party or challenge, or for another user", async () => {
    const { passkeys, authenticator } = await withPasskey();
    const attempt = async (ceremony: { origin: string; rpId?: string; challenge?: string }, username = "alice") =>
      passkeys.verify(username, JSON.stringify(await authenticator.authenticate(requestOptions(passkeys, "alice"), ceremony)));
    expect(await attempt({ origin: "https://evil.example" })).toBe(false);
    expect(await attempt({ origin: ORIGIN, rpId: "evil.example" })).toBe(false);
    expect(await attempt({ origin: ORIGIN, challenge: "bm90LWlzc3VlZA" })).toBe(false);
    requestOptions(passkeys, "bob");
    expect(await attempt({ origin: ORIGIN }, "bob")).toBe(false);
    expect(await passkeys.verify("alice", "{not json")).toBe(false);
    expect(await attempt({ origin: ORIGIN })).toBe(true);
  });

  it("refuses an assertion whose counter went back (a cloned passkey)", async () => {
    const { passkeys, authenticator } = await withPasskey();
    const old = await authenticator.authenticate(requestOptions(passkeys, "alice"), { origin: ORIGIN });
    const options = requestOptions(passkeys, "alice");
    expect(await passkeys.verify("alice", JSON.stringify(await authenticator.authenticate(options, { origin: ORIGIN })))).toBe(true);
    authenticator.signCount = 0;
    expect(await passkeys.verify("alice", JSON.stringify(old))).toBe(false);
    expect(await passkeys.verify("alice", JSON.stringify(await authenticator.authenticate(requestOptions(passkeys, "alice"), { origin: ORIGIN })))).toBe(false);
  });
});

describe("originAllowed", () => {
  it.each([
    ["http://localhost:8787", "localhost", true],
    ["https://app.example.com", "example.com", true],
    ["https://example.com", "example.com", true],
    ["http://app.example.com", "example.com", false],
    ["https://example.com.evil.test", "example.com", false],
    ["https://notexample.com", "example.com", false],
    ["https://app.example.com/path", "example.com", false],
    ["not a url", "example.com", false],
  ])("%s for RP ID %s: %s", (origin, rpId, allowed) => expect(originAllowed(origin, rpId)).toBe(allowed));
});
