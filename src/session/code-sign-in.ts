import type { Context } from "hono";
import { revokeToken } from "../cognito/auth-ops";
import { getUserAuthFactors, type UserAuthFactors } from "../cognito/passkey-ops";
import type { AuthenticationResult } from "../cognito/schemas";
import { AuthError } from "../errors";
import { log } from "../log";
import type { AppEnv } from "../types";

// A sign-in that ends with a one-time code (EMAIL_OTP, SMS_OTP) proves only
// that its holder reads the inbox or the phone. Cognito adds MFA to sign-ins
// whose first factor is a password (developer guide, "Adding MFA to a user
// pool"), not to a code, so for an account that has TOTP or a passkey the code
// would walk around them: its fresh auth_time passes every step-up, and its
// access token goes to Cognito directly (SetUserMFAPreference,
// StartWebAuthnRegistration), where no Worker check applies. So such a
// sign-in is refused once the code is proven, and its tokens never leave the
// Worker. Asked only then: before, the answer must be alike for every account.
// Email MFA after a password is the EMAIL_OTP challenge too, and is refused
// alike for such accounts: the inbox that gets its code can reset the password.

/** TOTP among the MFA methods that are on, or a passkey (or TOTP) among the factors (GetUserAuthFactors). */
const STRONG_MFA = "SOFTWARE_TOKEN_MFA";
const STRONG_FACTORS = new Set(["WEB_AUTHN", "SOFTWARE_TOKEN"]);

const hasStrongFactor = (factors: UserAuthFactors): boolean =>
  Boolean(factors.UserMFASettingList?.includes(STRONG_MFA) || factors.ConfiguredUserAuthFactors?.some((f) => STRONG_FACTORS.has(f)));

/**
 * Throws 401 `second_factor_required` when the account that signed in with a
 * code has TOTP or a passkey, after revoking Cognito's tokens of that sign-in.
 * When Cognito cannot say which factors the account has, its error is thrown
 * and the tokens are revoked too: a code not shown to be enough signs nobody in.
 */
export async function assertCodeSignInAllowed(c: Context<AppEnv>, result: AuthenticationResult): Promise<void> {
  let factors: UserAuthFactors;
  try {
    factors = await getUserAuthFactors(c.var.cognito, result.AccessToken);
  } catch (err) {
    await discard(c, result);
    throw err;
  }
  if (!hasStrongFactor(factors)) return;
  await discard(c, result);
  throw new AuthError("second_factor_required", { cause: { reason: "code sign-in of an account with TOTP or a passkey" } });
}

/** Revokes the refresh token (RevokeToken ends the access tokens issued with it); best effort, as the tokens were never handed out. */
async function discard(c: Context<AppEnv>, result: AuthenticationResult): Promise<void> {
  if (!result.RefreshToken) return;
  try {
    await revokeToken(c.var.cognito, result.RefreshToken);
  } catch (err) {
    log("warn", "code_sign_in_not_revoked", { requestId: c.var.requestId, error: err instanceof AuthError ? err.code : "unknown" });
  }
}
