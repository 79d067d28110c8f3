import type * as z from "zod/mini";
import {
  AdminCreateBody,
  ChallengeBody,
  ChangePasswordBody,
  Code,
  Email,
  EmailBody,
  LoginBody,
  LogoutBody,
  PasskeyBody,
  Password,
  RefreshBody,
  RegisterBody,
  RegistrationResponse,
  ResetPasswordBody,
  TotpVerifyBody,
  UpdateMeBody,
  VerifyAttributeBody,
  VerifyBody,
} from "../schemas";

/**
 * The request-body schemas of src/schemas.ts under their component names, with
 * the shared field types first so that the bodies refer to them.
 */
export function requestSchemas(): { schemas: Record<string, z.ZodMiniType>; descriptions: Record<string, string> } {
  return {
    schemas: {
      Email,
      Password,
      Code,
      RegisterBody,
      VerifyBody,
      EmailBody,
      LoginBody,
      ChallengeBody,
      RefreshBody,
      LogoutBody,
      ResetPasswordBody,
      ChangePasswordBody,
      UpdateMeBody,
      VerifyAttributeBody,
      TotpVerifyBody,
      RegistrationResponse,
      PasskeyBody,
      AdminCreateBody,
    },
    descriptions: {
      Email: "An email address; trimmed and lower-cased before it is checked.",
      Password: "The pool's password policy decides (400 weak_password).",
      Code: "A confirmation, reset, attribute or MFA code.",
      ChallengeBody:
        "`code` is required for SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP (and for the second MFA_SETUP answer), `newPassword` for NEW_PASSWORD_REQUIRED.",
      UpdateMeBody: "A non-empty map of WRITABLE_ATTRIBUTES; Cognito-managed attributes are refused.",
      RegistrationResponse:
        "A RegistrationResponseJSON (the new credential's toJSON()); the listed fields are checked, others are passed to Cognito unchanged.",
    },
  };
}
