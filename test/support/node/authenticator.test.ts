// The workerd tests' software passkey, checked against a WebAuthn server
// library (@simplewebauthn/server): what it makes must verify as a browser's would.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { decodeClientDataJSON } from "@simplewebauthn/server/helpers";
import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../authenticator";

const RP_ID = "localhost";
const ORIGIN = "http://localhost:8787";

async function registered() {
  const authenticator = await SoftwareAuthenticator.create();
  const options = await generateRegistrationOptions({ rpName: "test", rpID: RP_ID, userName: "user@example.com", attestationType: "none" });
  const response = await authenticator.register(options, { origin: ORIGIN });
  const { verified, registrationInfo } = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  });
  if (!verified || !registrationInfo) throw new Error("registration did not verify");
  return { authenticator, options, response, credential: registrationInfo.credential, registrationInfo };
}

describe("SoftwareAuthenticator", () => {
  it("makes a registration response that verifies: none attestation, ES256, the page's origin and the server's challenge", async () => {
    const { authenticator, options, response, credential, registrationInfo } = await registered();
    expect(decodeClientDataJSON(response.response.clientDataJSON)).toEqual({
      type: "webauthn.create",
      challenge: options.challenge,
      origin: ORIGIN,
      crossOrigin: false,
    });
    expect(registrationInfo).toMatchObject({ fmt: "none", userVerified: true, rpID: RP_ID, origin: ORIGIN });
    expect(credential).toMatchObject({ id: authenticator.id, counter: 0, transports: ["internal"] });
    expect(response).toMatchObject({ id: authenticator.id, rawId: authenticator.id, type: "public-key", authenticatorAttachment: "platform" });
  });

  it("makes assertions that verify, with a signature counter that grows", async () => {
    const { authenticator, credential } = await registered();
    let counter = credential.counter;
    for (const expected of [1, 2]) {
      const options = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: authenticator.id }] });
      const response = await authenticator.authenticate(options, { origin: ORIGIN });
      expect(decodeClientDataJSON(response.response.clientDataJSON)).toMatchObject({ type: "webauthn.get", challenge: options.challenge, origin: ORIGIN });
      const { verified, authenticationInfo } = await verifyAuthenticationResponse({
        response,
        expectedChallenge: options.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential: { ...credential, counter },
      });
      expect({ verified, counter: authenticationInfo.newCounter }).toEqual({ verified: true, counter: expected });
      counter = authenticationInfo.newCounter;
    }
  });

  it("signs what a test makes it sign: another origin, relying party or challenge does not verify", async () => {
    const { authenticator, credential } = await registered();
    const options = await generateAuthenticationOptions({ rpID: RP_ID });
    const check = async (ceremony: { origin: string; rpId?: string; challenge?: string }) =>
      verifyAuthenticationResponse({
        response: await authenticator.authenticate(options, ceremony),
        expectedChallenge: options.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
      }).catch(() => ({ verified: false }));
    expect((await check({ origin: "https://evil.example" })).verified).toBe(false);
    expect((await check({ origin: ORIGIN, rpId: "evil.example" })).verified).toBe(false);
    expect((await check({ origin: ORIGIN, challenge: "c29tZXRoaW5nLWVsc2U" })).verified).toBe(false);
    expect((await check({ origin: ORIGIN })).verified).toBe(true);
  });

  it("refuses as a browser does: an excluded credential, or one the request does not allow", async () => {
    const { authenticator } = await registered();
    const again = await generateRegistrationOptions({
      rpName: "test",
      rpID: RP_ID,
      userName: "user@example.com",
      excludeCredentials: [{ id: authenticator.id }],
    });
    await expect(authenticator.register(again, { origin: ORIGIN })).rejects.toThrow(/InvalidStateError/);
    const other = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: "b3RoZXI" }] });
    await expect(authenticator.authenticate(other, { origin: ORIGIN })).rejects.toThrow(/NotAllowedError/);
  });
});
