// GetUserAuthFactors, which cognito-local lacks: the user's MFA settings as
// GetUser reports them, and the USER_AUTH factors the user can choose from
// (API reference, GetUserAuthFactors: "the user's options for choice-based
// authentication with the USER_AUTH flow"). A factor is the user's when its
// means is there, whatever the pool's AllowedFirstAuthFactors: a
// password for PASSWORD (passwordless sign-ups have none), a verified email for
// EMAIL_OTP, a verified phone number for SMS_OTP, a passkey for WEB_AUTHN, and
// TOTP MFA for SOFTWARE_TOKEN (an MFA-only factor), unless the user's reading
// leaves it out (readings.ts): TOTP then shows only in UserMFASettingList.
import type { Answer, Json } from "./emulated";
import type { PasskeyPort } from "./passkey-port";

type Forward = (op: string, input: Json) => Promise<Answer>;

/** GetUserAuthFactors for the access token of `input` (already verified by the stand-in). */
export async function userAuthFactors(
  input: Json,
  forward: Forward,
  passkeys: PasskeyPort,
  hasPassword: (username: string) => boolean,
  listsSoftwareToken: (username: string) => boolean,
): Promise<Answer> {
  const user = await forward("GetUser", { AccessToken: input.AccessToken });
  if (user.status !== 200) return user;
  const body = user.body as Json;
  const username = String(body.Username);
  const attributes = new Map(((body.UserAttributes as { Name: string; Value?: string }[] | undefined) ?? []).map((a) => [a.Name, a.Value]));
  const mfa = Array.isArray(body.UserMFASettingList) ? body.UserMFASettingList.map(String) : [];
  const factors = hasPassword(username) ? ["PASSWORD"] : [];
  if (attributes.get("email_verified") === "true") factors.push("EMAIL_OTP");
  if (attributes.get("phone_number_verified") === "true") factors.push("SMS_OTP");
  if (passkeys.has(username)) factors.push("WEB_AUTHN");
  if (mfa.includes("SOFTWARE_TOKEN_MFA") && listsSoftwareToken(username)) factors.push("SOFTWARE_TOKEN");
  const preferred = typeof body.PreferredMfaSetting === "string" ? { PreferredMfaSetting: body.PreferredMfaSetting } : {};
  return {
    status: 200,
    body: { Username: username, ...preferred, ...(mfa.length ? { UserMFASettingList: mfa } : {}), ConfiguredUserAuthFactors: factors },
  };
}
