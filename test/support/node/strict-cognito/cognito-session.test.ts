// The stand-in's sessions have the shape of Cognito's: an AWS Encryption SDK
// message in standard base64, with the same header and plaintext in every
// session and a random message ID.
import { describe, expect, it } from "vitest";
import { cognitoSession, KMS_KEY_ARN, SESSION_HEADER } from "./cognito-session";

describe("cognitoSession", () => {
  it("is an Encryption SDK message naming CognitoUserPools and the KMS key", () => {
    const session = cognitoSession("ada@example.com");
    expect(session).toMatch(/^AYAB[A-Za-z0-9+/]+={0,2}$/);
    const bytes = Buffer.from(session, "base64");
    expect(bytes.subarray(0, 4)).toEqual(SESSION_HEADER);
    expect(bytes.includes("CognitoUserPools")).toBe(true);
    expect(bytes.includes("aws-kms")).toBe(true);
    expect(bytes.includes(KMS_KEY_ARN)).toBe(true);
  });

  it("fits SessionType (20 to 2048 characters) at about 1000 characters, even for a long username", () => {
    for (const name of ["", "ada@example.com", "x".repeat(5000)]) {
      const { length } = cognitoSession(name);
      expect(length).toBeGreaterThanOrEqual(900);
      expect(length).toBeLessThanOrEqual(2048);
    }
  });

  it("has a random message ID and random ciphertext, and the same plaintext in every session", () => {
    const [a, b] = [Buffer.from(cognitoSession("a@example.com"), "base64"), Buffer.from(cognitoSession("a@example.com"), "base64")];
    expect(a.length).toBe(b.length);
    expect(a.subarray(4, 20).equals(b.subarray(4, 20))).toBe(false);
    const arnEnd = a.indexOf(KMS_KEY_ARN) + KMS_KEY_ARN.length;
    expect(a.subarray(20, arnEnd)).toEqual(b.subarray(20, arnEnd));
    expect(a.subarray(arnEnd + 2).equals(b.subarray(arnEnd + 2))).toBe(false);
  });
});
