import { describe, expect, it } from "vitest";
import { EdgeKeys } from "./keys";
import { openSession, SESSION_LENGTH, SESSION_LIFETIME_S, sealSession } from "./session";

const keys = new EdgeKeys({ current: "session-test-secret-of-at-least-32-bytes" });
/** Shaped like a real Cognito session: an Encryption SDK message, whose readable plaintext names the service. */
const COGNITO = btoa(`\x01\x80\x01\x78${"x".repeat(16)}Service CognitoUserPools aws-kms arn:aws:kms:us-east-1:1:key/k`).repeat(8);
const content = { step: "EMAIL_OTP" as const, username: "ada@example.com", cognito: COGNITO };
const expected = { step: content.step, username: content.username };

const decoded = (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));

describe("sealed sessions", () => {
  it("opens its own session for the same step and username, and tells nothing of Cognito's", async () => {
    const sealed = await sealSession(keys, "client", content);
    expect(await openSession(keys, "client", sealed, expected)).toEqual(content);
    expect(decoded(sealed)).not.toContain("CognitoUserPools");
    expect(sealed).not.toContain(COGNITO.slice(0, 8));
  });

  it("has one length and alphabet for every session, a decoy included, whatever Cognito's length", async () => {
    const short = await sealSession(keys, "client", { ...content, cognito: "s".repeat(20), username: "+15555550100" });
    const long = await sealSession(keys, "client", { ...content, cognito: "s".repeat(2048), username: `${"ü".repeat(60)}@example.com` });
    const decoy = await sealSession(keys, "client", { step: "EMAIL_OTP", username: "nobody@example.com" });
    for (const session of [short, long, decoy]) {
      expect(session).toHaveLength(SESSION_LENGTH);
      expect(session).toMatch(/^[\w-]+$/);
    }
  });

  it("opens a decoy without a Cognito session, and nothing for another step, username, client, secret, or after its lifetime", async () => {
    const sealed = await sealSession(keys, "client", content);
    const decoy = await sealSession(keys, "client", { step: content.step, username: content.username });
    expect(await openSession(keys, "client", decoy, expected)).toEqual({ step: content.step, username: content.username });
    expect(await openSession(keys, "client", sealed, { ...expected, step: "SMS_OTP" })).toBeUndefined();
    expect(await openSession(keys, "client", sealed, { ...expected, username: "eve@example.com" })).toBeUndefined();
    expect(await openSession(keys, "other-client", sealed, expected)).toBeUndefined();
    expect(await openSession(new EdgeKeys({ current: "another-secret-of-at-least-32-bytes" }), "client", sealed, expected)).toBeUndefined();
    expect(await openSession(keys, "client", sealed, expected, Date.now() + SESSION_LIFETIME_S * 1000)).toBeUndefined();
    expect(await openSession(keys, "client", sealed.slice(1), expected)).toBeUndefined();
    expect(await openSession(keys, "client", "x", expected)).toBeUndefined();
  });
});
