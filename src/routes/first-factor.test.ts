import { describe, expect, it } from "vitest";
import { AuthError } from "../errors";
import { firstFactor, type Identity } from "./first-factor";

const EMAIL: Identity = { kind: "email", value: "ada@example.com" };
const PHONE: Identity = { kind: "phone", value: "+15555550123" };
const SESSION = "s".repeat(40);

describe("firstFactor: one shape per method, whatever Cognito answered", () => {
  it("passes the request options of a real WEB_AUTHN challenge on without the account's credential ids", async () => {
    const options = { challenge: "Y2hhbGxlbmdl", rpId: "example.com", timeout: 60000, allowCredentials: [{ id: "Y3JlZA", type: "public-key" }] };
    const answer = await firstFactor("WEB_AUTHN", EMAIL, async () => ({
      ChallengeName: "WEB_AUTHN",
      Session: SESSION,
      ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
    }));
    expect(answer).toEqual({
      challenge: "WEB_AUTHN",
      session: SESSION,
      credentialRequestOptions: { challenge: "Y2hhbGxlbmdl", rpId: "example.com", timeout: 60000 },
    });
  });

  it("answers a WEB_AUTHN challenge of its own, with Cognito's session, the pool's settings and a challenge as long as Cognito's, when Cognito chose another challenge", async () => {
    const options = { challenge: "Y2hhbGxlbmdl", rpId: "auth.example.com", timeout: 120000, userVerification: "required" };
    await firstFactor("WEB_AUTHN", EMAIL, async () => ({
      ChallengeName: "WEB_AUTHN",
      Session: SESSION,
      ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
    }));
    const answer = await firstFactor("WEB_AUTHN", EMAIL, async () => ({ ChallengeName: "EMAIL_OTP", Session: SESSION, ChallengeParameters: {} }));
    expect(answer).toEqual({
      challenge: "WEB_AUTHN",
      session: SESSION,
      // A fresh challenge, as long as Cognito's last.
      credentialRequestOptions: { challenge: expect.stringMatching(/^[\w-]{12}$/), rpId: "auth.example.com", timeout: 120000, userVerification: "required" },
    });
    expect(Object.keys(answer.credentialRequestOptions ?? {})).toEqual(Object.keys(options));
  });

  it("masks the destination from what the client typed, never Cognito's", async () => {
    const cognito = async () => ({
      ChallengeName: "SMS_OTP",
      Session: SESSION,
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS", CODE_DELIVERY_DESTINATION: "+*******9999" },
    });
    expect((await firstFactor("SMS_OTP", PHONE, cognito)).delivery).toEqual({ medium: "SMS", destination: "+*******0123" });
    expect((await firstFactor("SMS_OTP", EMAIL, cognito)).delivery).toEqual({ medium: "SMS", destination: "+***" });
    expect((await firstFactor("EMAIL_OTP", EMAIL, cognito)).delivery).toEqual({ medium: "EMAIL", destination: "a***@e***" });
  });

  it("maps Cognito's AvailableChallenges to methods, and offers the usual two when there is no choice", async () => {
    const choice = async () => ({ ChallengeName: "SELECT_CHALLENGE", Session: SESSION, AvailableChallenges: ["WEB_AUTHN", "PASSWORD_SRP", "SMS_OTP"] });
    expect((await firstFactor("SELECT_CHALLENGE", EMAIL, choice)).methods).toEqual(["passkey", "sms_otp"]);
    const other = async () => ({ ChallengeName: "PASSWORD", Session: SESSION });
    expect((await firstFactor("SELECT_CHALLENGE", PHONE, other)).methods).toEqual(["password", "sms_otp"]);
  });

  it("answers a refusal like a challenge, with a session of its own, but lets outages and throttling through", async () => {
    const refused = await firstFactor("EMAIL_OTP", EMAIL, async () => {
      throw new AuthError("invalid_credentials", "no");
    });
    // The session is the Worker's own, in the shape of Cognito's (session-shape.test.ts): here, SESSION's length.
    expect(refused).toEqual({ challenge: "EMAIL_OTP", session: expect.any(String), delivery: { medium: "EMAIL", destination: "a***@e***" } });
    expect(refused.session).toHaveLength(SESSION.length);
    expect(refused.session).not.toBe(SESSION);
    for (const code of ["upstream_unavailable", "too_many_requests"] as const) {
      const failing = firstFactor("EMAIL_OTP", EMAIL, async () => {
        throw new AuthError(code, "down");
      });
      await expect(failing).rejects.toMatchObject({ code });
    }
  });
});
