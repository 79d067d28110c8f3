import type { AuthFactors } from "../answers";
import type { UserAuthFactors } from "../cognito/passkey-ops";

type Factor = AuthFactors["factors"][number];
type MfaMethod = AuthFactors["mfa"]["enabled"][number];

/** GetUserAuthFactors' AuthFactorType -> docs/API.md's factor names. */
const FACTOR: Record<string, Factor> = {
  PASSWORD: "password",
  EMAIL_OTP: "email_otp",
  SMS_OTP: "sms_otp",
  WEB_AUTHN: "passkey",
  SOFTWARE_TOKEN: "totp",
};

/** UserMFASettingList / PreferredMfaSetting values -> docs/API.md's MFA names. */
const MFA: Record<string, MfaMethod> = {
  SOFTWARE_TOKEN_MFA: "totp",
  SMS_MFA: "sms",
  EMAIL_OTP: "email",
  WEB_AUTHN: "passkey",
};

/** Names Cognito may add later are left out rather than passed on unnamed. */
const known = <T>(names: string[] | undefined, table: Record<string, T>): T[] =>
  [...new Set((names ?? []).flatMap((name) => (Object.hasOwn(table, name) ? [table[name]] : [])))];

/**
 * GET /auth/me/factors' body from GetUserAuthFactors. TOTP, an MFA-only
 * factor, counts when either list names it: ConfiguredUserAuthFactors lists
 * "the authentication types that are available to the user with USER_AUTH",
 * where TOTP is no choice, so Cognito may name it only in UserMFASettingList.
 */
export function toAuthFactors(out: UserAuthFactors): AuthFactors {
  const preferred = out.PreferredMfaSetting && Object.hasOwn(MFA, out.PreferredMfaSetting) ? MFA[out.PreferredMfaSetting] : undefined;
  const totp = out.UserMFASettingList?.includes("SOFTWARE_TOKEN_MFA") ? ["SOFTWARE_TOKEN"] : [];
  return {
    factors: known([...(out.ConfiguredUserAuthFactors ?? []), ...totp], FACTOR),
    mfa: { ...(preferred ? { preferred } : {}), enabled: known(out.UserMFASettingList, MFA) },
  };
}
