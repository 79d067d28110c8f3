import * as z from "zod/mini";
import type { Cognito } from "./client";
import { parseResponse } from "./schemas";

const AssociateResponse = z.lazy(() => z.object({ SecretCode: z.string(), Session: z.optional(z.string()) }));
const VerifyResponse = z.lazy(() => z.object({ Status: z.optional(z.string()), Session: z.optional(z.string()) }));

/** AssociateSoftwareToken: a new TOTP secret, for a signed-in user (access token) or during MFA_SETUP (session). */
export async function associateSoftwareToken(cognito: Cognito, auth: { AccessToken: string } | { Session: string }) {
  const context = "AccessToken" in auth ? "bearer" : "challenge";
  const out = await cognito.call("AssociateSoftwareToken", auth, context);
  return parseResponse(AssociateResponse, out, "AssociateSoftwareToken");
}

/**
 * The `otpauth://totp/` URI authenticator apps scan for the secret
 * AssociateSoftwareToken answers (Key Uri Format:
 * https://github.com/google/google-authenticator/wiki/Key-Uri-Format).
 * Cognito's TOTP is SHA-1, 6 digits, 30 s, which are the format's defaults.
 */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`;
}

/** VerifySoftwareToken: proves the authenticator app holds the secret. */
export async function verifySoftwareToken(
  cognito: Cognito,
  auth: { AccessToken: string } | { Session: string },
  code: string,
  deviceName?: string,
) {
  const input = { ...auth, UserCode: code, ...(deviceName ? { FriendlyDeviceName: deviceName } : {}) };
  const out = await cognito.call("VerifySoftwareToken", input, "AccessToken" in auth ? "code" : "challenge");
  return parseResponse(VerifyResponse, out, "VerifySoftwareToken");
}

/** SetUserMFAPreference: TOTP enabled and preferred, or off. */
export async function setTotpPreference(cognito: Cognito, accessToken: string, enabled: boolean): Promise<void> {
  const input = { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: enabled, PreferredMfa: enabled } };
  await cognito.call("SetUserMFAPreference", input, "bearer");
}
