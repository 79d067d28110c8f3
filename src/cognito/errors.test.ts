import { describe, expect, it } from "vitest";
import { mapCognitoError, normalizeType } from "./errors";

describe("normalizeType", () => {
  it.each([
    ["NotAuthorizedException", "NotAuthorizedException"],
    ["com.amazonaws.cognito#NotAuthorizedException", "NotAuthorizedException"],
    ["NotAuthorizedException:http://internal.amazon.com/coral/", "NotAuthorizedException"],
  ])("reduces %s", (raw, type) => expect(normalizeType(raw)).toBe(type));
});

describe("mapCognitoError", () => {
  it.each([
    ["NotAuthorizedException", "login", "invalid_credentials", 401],
    ["UserNotFoundException", "login", "invalid_credentials", 401],
    ["InvalidPasswordException", "login", "invalid_credentials", 401],
    ["InvalidPasswordException", "register", "weak_password", 400],
    ["NotAuthorizedException", "refresh", "invalid_refresh_token", 401],
    ["RefreshTokenReuseException", "refresh", "invalid_refresh_token", 401],
    ["NotAuthorizedException", "change-password", "invalid_credentials", 400],
    ["NotAuthorizedException", "bearer", "unauthorized", 401],
    ["UsernameExistsException", "register", "user_already_exists", 409],
    ["UserNotConfirmedException", "login", "email_not_confirmed", 403],
    ["CodeMismatchException", "code", "code_mismatch", 400],
    ["ExpiredCodeException", "code", "code_expired", 400],
    ["UserNotFoundException", "code", "code_mismatch", 400],
    ["NotAuthorizedException", "challenge", "code_mismatch", 400],
    ["TooManyRequestsException", "login", "too_many_requests", 429],
    ["LimitExceededException", "login", "too_many_requests", 429],
    // Cognito locks a real account out after wrong codes; an unknown account never meets it.
    ["LimitExceededException", "code", "code_mismatch", 400],
    ["TooManyFailedAttemptsException", "confirm", "code_mismatch", 400],
    ["InternalErrorException", "login", "upstream_unavailable", 503],
    ["ResourceNotFoundException", "login", "internal_error", 500],
    ["SomethingNewException", "login", "internal_error", 500],
    ["ResourceNotFoundException", "passkey", "not_found", 404],
    ["NotAuthorizedException", "passkey", "unauthorized", 401],
    ["WebAuthnNotEnabledException", "passkey", "upstream_unavailable", 503],
    ["WebAuthnConfigurationMissingException", "passkey", "upstream_unavailable", 503],
    ["OperationNotEnabledException", "bearer", "upstream_unavailable", 503],
    ["WebAuthnOriginNotAllowedException", "passkey", "validation_failed", 400],
    ["WebAuthnRelyingPartyMismatchException", "passkey", "validation_failed", 400],
    ["WebAuthnCredentialNotSupportedException", "passkey", "validation_failed", 400],
    ["WebAuthnChallengeNotFoundException", "passkey", "code_expired", 400],
    ["WebAuthnClientMismatchException", "passkey", "code_expired", 400],
  ] as const)("%s at %s is %s (%i)", (type, context, code, status) => {
    const err = mapCognitoError(type, "", 400, context);
    expect({ code: err.code, status: err.status }).toEqual({ code, status });
  });

  it("tells a revoked token from a wrong password at change-password", () => {
    const err = mapCognitoError("NotAuthorizedException", "Access Token has been revoked", 400, "change-password");
    expect(err.code).toBe("unauthorized");
  });

  it("tells an expired session from a wrong code at a challenge", () => {
    expect(mapCognitoError("NotAuthorizedException", "Invalid session for the user.", 400, "challenge").code).toBe(
      "invalid_session",
    );
  });

  it("adds Retry-After to throttling and outages", () => {
    expect(mapCognitoError("TooManyRequestsException", "", 400, "login").headers["Retry-After"]).toMatch(/^\d+$/);
    expect(mapCognitoError("Unknown", "", 502, "login").headers["Retry-After"]).toMatch(/^\d+$/);
  });

  it("never forwards Cognito's message", () => {
    const err = mapCognitoError("NotAuthorizedException", "Incorrect username or password for ada@example.com", 400, "login");
    expect(err.detail).not.toContain("ada@example.com");
  });
});
