import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { AuthError } from "../errors";
import { keysOf } from "../seal/context";
import { openSession, SESSION_LENGTH } from "../seal/session";
import { firstFactor, type Identity } from "./first-factor";

const EMAIL: Identity = { kind: "email", value: "ada@example.com" };
const PHONE: Identity = { kind: "phone", value: "+15555550123" };
const SESSION = "s".repeat(40);
const config = parseConfig({
  AWS_REGION: "eu-west-1",
  COGNITO_USER_POOL_ID: "eu-west-1_AbC123",
  COGNITO_CLIENT_ID: "abc123",
  EDGE_SECRET: "first-factor-test-secret-of-32-bytes",
  FIRST_FACTORS: "password,passkey",
  PASSKEY_RP_ID: "example.com",
  PASSKEY_TIMEOUT_MS: "120000",
});

const opens = (session: string, step: "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN" | "SELECT_CHALLENGE", identity: Identity) =>
  openSession(keysOf(config), config.clientId, session, { step, username: identity.value });

describe("firstFactor: one shape per method, whatever Cognito answered", () => {
  it("passes only Cognito's challenge of a real WEB_AUTHN request on, with the configured relying party", async () => {
    const options = { challenge: "Y2hhbGxlbmdlWTJoaGJHeGxibWRs", rpId: "auth.example.com", timeout: 60000, allowCredentials: [{ id: "Y3JlZA", type: "public-key" }] };
    const answer = await firstFactor(config, "WEB_AUTHN", EMAIL, async () => ({
      ChallengeName: "WEB_AUTHN",
      Session: SESSION,
      ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
    }));
    expect(answer.credentialRequestOptions).toEqual({ challenge: options.challenge, rpId: "example.com", timeout: 120000, userVerification: "preferred" });
    expect(await opens(answer.session, "WEB_AUTHN", EMAIL)).toEqual({ step: "WEB_AUTHN", username: EMAIL.value, cognito: SESSION });
  });

  it("answers a WEB_AUTHN challenge of its own, in the same shape, when Cognito chose another challenge", async () => {
    const answer = await firstFactor(config, "WEB_AUTHN", EMAIL, async () => ({ ChallengeName: "EMAIL_OTP", Session: SESSION, ChallengeParameters: {} }));
    expect(answer.credentialRequestOptions).toEqual({ challenge: expect.stringMatching(/^[\w-]{16,}$/), rpId: "example.com", timeout: 120000, userVerification: "preferred" });
    expect(answer.session).toHaveLength(SESSION_LENGTH);
    expect(await opens(answer.session, "WEB_AUTHN", EMAIL)).toEqual({ step: "WEB_AUTHN", username: EMAIL.value });
  });

  it("masks the destination from what the client typed, never Cognito's", async () => {
    const cognito = async () => ({
      ChallengeName: "SMS_OTP",
      Session: SESSION,
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS", CODE_DELIVERY_DESTINATION: "+*******9999" },
    });
    expect((await firstFactor(config, "SMS_OTP", PHONE, cognito)).delivery).toEqual({ medium: "SMS", destination: "+*******0123" });
    expect((await firstFactor(config, "SMS_OTP", EMAIL, cognito)).delivery).toEqual({ medium: "SMS", destination: "+***" });
    expect((await firstFactor(config, "EMAIL_OTP", EMAIL, cognito)).delivery).toEqual({ medium: "EMAIL", destination: "a***@e***" });
  });

  it("offers the configured first factors, whatever Cognito's AvailableChallenges", async () => {
    const choice = async () => ({ ChallengeName: "SELECT_CHALLENGE", Session: SESSION, AvailableChallenges: ["WEB_AUTHN", "PASSWORD_SRP", "SMS_OTP"] });
    expect((await firstFactor(config, "SELECT_CHALLENGE", EMAIL, choice)).methods).toEqual(["password", "passkey"]);
    const other = async () => ({ ChallengeName: "PASSWORD", Session: SESSION });
    expect((await firstFactor(config, "SELECT_CHALLENGE", PHONE, other)).methods).toEqual(["password", "passkey"]);
  });

  it("answers a refusal like a challenge, also refusals only an existing account gets, but lets outages and throttling through", async () => {
    for (const type of [undefined, "LimitExceededException", "CodeDeliveryFailureException"]) {
      const code = type === "CodeDeliveryFailureException" ? "upstream_unavailable" : type ? "too_many_requests" : "invalid_credentials";
      const refused = await firstFactor(config, "EMAIL_OTP", EMAIL, async () => {
        throw new AuthError(code, { cause: { reason: "cognito refused", ...(type ? { type } : {}) } });
      });
      expect(refused).toEqual({ challenge: "EMAIL_OTP", session: expect.any(String), delivery: { medium: "EMAIL", destination: "a***@e***" } });
      expect(refused.session).toHaveLength(SESSION_LENGTH);
    }
    for (const code of ["upstream_unavailable", "too_many_requests"] as const) {
      const failing = firstFactor(config, "EMAIL_OTP", EMAIL, async () => {
        throw new AuthError(code, { cause: { reason: "cognito refused", type: "TooManyRequestsException" } });
      });
      await expect(failing).rejects.toMatchObject({ code });
    }
  });
});
