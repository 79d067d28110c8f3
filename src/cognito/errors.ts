import { AuthError, type ErrorCode } from "../errors";

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
  | "bearer"
  | "change-password"
  | "revoke"
  | "admin";

type Mapping = [ErrorCode, string];

const BY_TYPE: Record<string, Mapping> = {
  UsernameExistsException: ["user_already_exists", "An account with this email already exists."],
  AliasExistsException: ["user_already_exists", "An account with this email already exists."],
  InvalidPasswordException: ["weak_password", "The password does not meet the pool's password policy."],
  UserNotConfirmedException: ["email_not_confirmed", "The email address has not been verified yet."],
  CodeMismatchException: ["code_mismatch", "The code is not correct."],
  ExpiredCodeException: ["code_expired", "The code has expired; request a new one."],
  TooManyRequestsException: ["too_many_requests", "Too many requests; retry later."],
  LimitExceededException: ["too_many_requests", "Too many attempts; retry later."],
  TooManyFailedAttemptsException: ["too_many_requests", "Too many failed attempts; retry later."],
  InvalidParameterException: ["validation_failed", "The request was refused by the user pool."],
  UserLambdaValidationException: ["validation_failed", "The request was refused by the user pool."],
  InvalidEmailRoleAccessPolicyException: ["upstream_unavailable", "The user pool cannot send messages now."],
  CodeDeliveryFailureException: ["upstream_unavailable", "The code could not be delivered; retry later."],
  InternalErrorException: ["upstream_unavailable", "The user pool is unavailable; retry later."],
  ServiceUnavailable: ["upstream_unavailable", "The user pool is unavailable; retry later."],
  ForbiddenException: ["forbidden", "The request was refused."],
  EnableSoftwareTokenMFAException: ["code_mismatch", "The code is not correct."],
  SoftwareTokenMFANotFoundException: ["validation_failed", "No authenticator app is being set up."],
  PasswordHistoryPolicyViolationException: ["weak_password", "The password was used recently; choose another."],
  // GetTokensFromRefreshToken: a refresh token that rotation already replaced.
  RefreshTokenReuseException: ["invalid_refresh_token", "The refresh token is missing, revoked or expired."],
};

const CREDENTIALS: Mapping = ["invalid_credentials", "Incorrect email or password."];
const BAD_TOKEN: Mapping = ["unauthorized", "The access token is not valid."];
const BAD_REFRESH: Mapping = ["invalid_refresh_token", "The refresh token is missing, revoked or expired."];
const BAD_CODE: Mapping = ["code_mismatch", "The code is not correct."];
const BAD_SESSION: Mapping = ["invalid_session", "The sign-in session has expired or is not valid; sign in again."];

/** Types whose meaning depends on where the call was made. */
function contextual(type: string, message: string, context: CallContext): Mapping | undefined {
  const aboutToken = /token/i.test(message);
  switch (type) {
    case "NotAuthorizedException":
      if (context === "login") return CREDENTIALS;
      if (context === "refresh" || context === "revoke") return BAD_REFRESH;
      if (context === "code") return BAD_CODE;
      if (context === "challenge") return /session/i.test(message) ? BAD_SESSION : BAD_CODE;
      if (context === "change-password" && !aboutToken) {
        return CREDENTIALS;
      }
      return BAD_TOKEN;
    case "UserNotFoundException":
      if (context === "login") return CREDENTIALS;
      if (context === "code" || context === "challenge") return BAD_CODE;
      if (context === "refresh") return BAD_REFRESH;
      if (context === "admin") return ["not_found", "No such user."];
      return BAD_TOKEN;
    case "InvalidPasswordException":
      return context === "login" ? CREDENTIALS : undefined;
    case "PasswordResetRequiredException":
      return CREDENTIALS;
    case "UnsupportedTokenTypeException":
    case "UnauthorizedException":
      return context === "revoke" || context === "refresh" ? BAD_REFRESH : undefined;
    case "ExpiredCodeException":
      return context === "challenge" ? BAD_SESSION : undefined;
    case "ResourceNotFoundException":
      return context === "admin" ? ["not_found", "No such user or group."] : undefined;
    case "GroupExistsException":
      return undefined;
  }
  return undefined;
}

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
  const cause = { type, status };
  if (!mapping) {
    if (status >= 500) {
      return new AuthError("upstream_unavailable", "The user pool is unavailable; retry later.", { cause });
    }
    return new AuthError("internal_error", "The server could not complete the request.", { cause });
  }
  const [code, detail] = mapping;
  // docs/API.md: at change-password, where the bearer token is fine, a wrong password is 400.
  const statusOverride = context === "change-password" && code === "invalid_credentials" ? 400 : undefined;
  return new AuthError(code, detail, { cause, status: statusOverride });
}
