import type { AuthResponse } from "../cognito/schemas";
import { AuthError } from "../errors";

/**
 * What a right password can lead to: tokens, or a second factor or new
 * password of the same account. AWS answers an unknown user's USER_AUTH with
 * PREFERRED_CHALLENGE=PASSWORD with "a random selection from the challenge
 * types" (developer guide, "Managing user existence error responses"), so any
 * other answer is the wrong-password answer. EMAIL_OTP is among those
 * random first factors and cannot be told from email MFA, so it is refused
 * too: a user with email MFA signs in with a password without `method`
 * (USER_PASSWORD_AUTH, which never answers at random).
 */
const AFTER_PASSWORD = new Set(["SOFTWARE_TOKEN_MFA", "SMS_MFA", "MFA_SETUP", "NEW_PASSWORD_REQUIRED"]);

/** `out` when a password sign-in may lead to it; else 401 `invalid_credentials`. */
export function acceptedAfterPassword(out: AuthResponse): AuthResponse {
  if (out.AuthenticationResult || (out.ChallengeName && AFTER_PASSWORD.has(out.ChallengeName))) return out;
  throw new AuthError("invalid_credentials", { cause: { reason: "not a password's answer", challenge: out.ChallengeName ?? "none" } });
}
