import { AuthError, type ErrorCode, isOutage } from "../errors";
import { log } from "../log";

/**
 * Where a Cognito call was made. Cognito reuses exception types across
 * operations (NotAuthorizedException means a wrong password at login, a dead
 * refresh token at refresh, a wrong current password at ChangePassword), so
 * the mapping depends on the caller's context.
 */
export type CallContext =
  | "register"
  | "login"
  | "challenge"
  | "refresh"
  | "code"
  | "confirm"
  | "bearer"
  | "change-password"
  | "revoke"
  | "passkey"
  | "admin";

/** Our code, and a detail only where it says more than the code's own (ERRORS). */
type Mapping = ErrorCode | [ErrorCode, string];

const REFUSED: Mapping = ["validation_failed", "The request was refused by the user pool."];

const BY_TYPE: Record<string, Mapping> = {
  UsernameExistsException: "user_already_exists",
  AliasExistsException: "user_already_exists",
  InvalidPasswordException: "weak_password",
  UserNotConfirmedException: "email_not_confirmed",
  CodeMismatchException: "code_mismatch",
  ExpiredCodeException: "code_expired",
  TooManyRequestsException: "too_many_requests",
  LimitExceededException: "too_many_requests",
  TooManyFailedAttemptsException: "too_many_requests",
  InvalidParameterException: REFUSED,
  UserLambdaValidationException: REFUSED,
  InvalidEmailRoleAccessPolicyException: ["upstream_unavailable", "The user pool cannot send messages now."],
  CodeDeliveryFailureException: ["upstream_unavailable", "The code could not be delivered; retry later."],
  InternalErrorException: "upstream_unavailable",
  ServiceUnavailable: "upstream_unavailable",
  ForbiddenException: "forbidden",
  EnableSoftwareTokenMFAException: "code_mismatch",
  SoftwareTokenMFANotFoundException: ["validation_failed", "No authenticator app is being set up."],
  PasswordHistoryPolicyViolationException: ["weak_password", "The password was used recently; choose another."],
  // GetTokensFromRefreshToken: a refresh token that rotation already replaced.
  RefreshTokenReuseException: "invalid_refresh_token",
  // Passkeys switched off (or never configured) in the pool: an optional feature that is off, as admin without credentials.
  WebAuthnNotEnabledException: ["upstream_unavailable", "Passkeys are not enabled for this user pool."],
  WebAuthnConfigurationMissingException: ["upstream_unavailable", "Passkeys are not enabled for this user pool."],
  OperationNotEnabledException: ["upstream_unavailable", "The user pool does not offer this operation."],
  // The passkey itself is refused: nothing a retry with the same credential could change.
  WebAuthnOriginNotAllowedException: ["validation_failed", "The passkey was made on a page whose origin the user pool does not allow."],
  WebAuthnRelyingPartyMismatchException: ["validation_failed", "The passkey belongs to another relying party than the user pool's."],
  WebAuthnCredentialNotSupportedException: ["validation_failed", "The user pool does not accept this kind of passkey."],
  // The ceremony is gone (expired, spent, someone else's, another app client's): start it again.
  WebAuthnChallengeNotFoundException: ["code_expired", "The passkey challenge has expired or was not issued; start again."],
  WebAuthnClientMismatchException: ["code_expired", "The passkey registration was started by another app client; start again."],
};

/** Types whose meaning depends on where the call was made. */
function contextual(type: string, message: string, context: CallContext): Mapping | undefined {
  const aboutToken = /token/i.test(message);
  switch (type) {
    case "NotAuthorizedException":
      if (context === "login") return "invalid_credentials";
      if (context === "refresh" || context === "revoke") return "invalid_refresh_token";
      if (context === "code") return "code_mismatch";
      // ConfirmSignUp with SignUp's Session: a session Cognito refuses is not a wrong code.
      if (context === "challenge" || context === "confirm") return /session/i.test(message) ? "invalid_session" : "code_mismatch";
      if (context === "change-password" && !aboutToken) {
        return "invalid_credentials";
      }
      return "unauthorized";
    case "UserNotFoundException":
      if (context === "login") return "invalid_credentials";
      if (context === "code" || context === "challenge" || context === "confirm") return "code_mismatch";
      if (context === "refresh") return "invalid_refresh_token";
      if (context === "admin") return ["not_found", "No such user."];
      return "unauthorized";
    case "InvalidPasswordException":
      return context === "login" ? "invalid_credentials" : undefined;
    case "PasswordResetRequiredException":
      return "invalid_credentials";
    case "UnsupportedTokenTypeException":
    case "UnauthorizedException":
      return context === "revoke" || context === "refresh" ? "invalid_refresh_token" : undefined;
    case "ExpiredCodeException":
      return context === "challenge" ? "invalid_session" : undefined;
    case "ResourceNotFoundException":
      if (context === "passkey") return ["not_found", "No such passkey."];
      return context === "admin" ? ["not_found", "No such user or group."] : undefined;
    case "GroupExistsException":
      return undefined;
    case "LimitExceededException":
    case "TooManyFailedAttemptsException":
      // Cognito's lockout after wrong codes exists for real accounts only: a wrong code, as an unknown account's.
      return context === "code" || context === "confirm" ? "code_mismatch" : undefined;
  }
  return undefined;
}

/**
 * Cognito refusals that only an existing account can meet: a message over the
 * user's own limit, one that could not be delivered or that the pool's email
 * role may not send, a Lambda trigger's refusal, and Cognito's own lockout
 * after wrong attempts. AWS never sends or checks anything for an unknown
 * user, so wherever an unknown account must look like a known one, these are
 * answered as the unknown account's answer.
 */
const ACCOUNT_ONLY = new Set([
  "LimitExceededException",
  "CodeDeliveryFailureException",
  "InvalidEmailRoleAccessPolicyException",
  "UserLambdaValidationException",
  "TooManyFailedAttemptsException",
]);

/** Whether `err` is a Cognito refusal only an existing account can meet (ACCOUNT_ONLY). */
export const isAccountOnly = (err: unknown): boolean =>
  err instanceof AuthError && typeof err.cause?.type === "string" && ACCOUNT_ONLY.has(err.cause.type);

/**
 * For routes that answer alike for every account (forgot-password,
 * resend-code): an outage is passed on; a refusal only an existing account
 * meets is answered as for an unknown account, and logged, since the pool's
 * owner must hear of undeliverable messages; anything else says nothing.
 */
export const unlessPoolWide = (action: string) => (err: unknown): void => {
  if (isAccountOnly(err)) {
    log("error", "account_message_refused", { action, type: err instanceof AuthError ? String(err.cause?.type) : "unknown" });
    return;
  }
  if (isOutage(err)) throw err;
};

/** Reduces `"com.amazonaws#NotAuthorizedException"` or `"X:http://..."` to `"X"`. */
export function normalizeType(raw: string): string {
  const afterHash = raw.slice(raw.lastIndexOf("#") + 1);
  const colon = afterHash.indexOf(":");
  return colon === -1 ? afterHash : afterHash.slice(0, colon);
}

/**
 * Maps a Cognito error to an AuthError. Upstream text never reaches the client:
 * the message is read only to tell apart cases Cognito gives the same type.
 */
export function mapCognitoError(rawType: string, message: string, status: number, context: CallContext): AuthError {
  const type = normalizeType(rawType);
  const mapping = contextual(type, message, context) ?? BY_TYPE[type];
  const cause = { reason: "cognito refused", type, status };
  if (!mapping) return new AuthError(status >= 500 ? "upstream_unavailable" : "internal_error", { cause });
  const [code, detail] = typeof mapping === "string" ? [mapping] : mapping;
  // docs/API.md: at change-password, where the bearer token is fine, a wrong password is 400.
  const statusOverride = context === "change-password" && code === "invalid_credentials" ? 400 : undefined;
  return new AuthError(code, detail, { cause, status: statusOverride });
}
