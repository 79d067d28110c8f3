import type * as z from "zod/mini";
import {
  AdminCreateBody,
  AttributeCodeBody,
  ChallengeBody,
  ChangePasswordBody,
  Code,
  Credential,
  Email,
  EmailBody,
  IdentityBody,
  LoginBody,
  LogoutBody,
  PasskeyBody,
  Password,
  Phone,
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
      Phone,
      Password,
      Code,
      Credential,
      RegisterBody,
      VerifyBody,
      EmailBody,
      IdentityBody,
      LoginBody,
      ChallengeBody,
      RefreshBody,
      LogoutBody,
      ResetPasswordBody,
      ChangePasswordBody,
      UpdateMeBody,
      VerifyAttributeBody,
      AttributeCodeBody,
      TotpVerifyBody,
      RegistrationResponse,
      PasskeyBody,
      AdminCreateBody,
    },
    descriptions: {
      Email: "An email address; trimmed and lower-cased before it is checked.",
      Phone: "A phone number in E.164 form: `+`, the country code and the number, at most 15 digits.",
      Password: "The pool's password policy decides (400 weak_password).",
      Code: "A confirmation, reset, attribute, one-time sign-in or MFA code.",
      Credential: "WebAuthn's AuthenticationResponseJSON, as navigator.credentials.get gives it (PublicKeyCredential.toJSON()).",
      RegisterBody: "`email` or `phone`, or both (the email address is then the username; the code goes by SMS). Without `password`: a passwordless account, where the pool allows one-time codes as a first factor.",
      VerifyBody: "`email` or `phone`; `session`: the one register answered, to be signed in as the account is confirmed.",
      LoginBody:
        "`email` or `phone`. With `password` and no `method`: USER_PASSWORD_AUTH. With a `method`: choice-based sign-in (USER_AUTH) with that first factor (`password` only with method `password`). With neither: the account's methods to choose from (SELECT_CHALLENGE).",
      ChallengeBody:
        "`email` or `phone`, as at login. `code` is required for SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP and SMS_OTP (and for the second MFA_SETUP answer), `newPassword` for NEW_PASSWORD_REQUIRED, `method` for SELECT_CHALLENGE (with `password` for method `password`), `credential` for WEB_AUTHN.",
      UpdateMeBody: "A non-empty map of WRITABLE_ATTRIBUTES; Cognito-managed attributes are refused.",
      RegistrationResponse:
        "A RegistrationResponseJSON (the new credential's toJSON()); the listed fields are checked, others are passed to Cognito unchanged.",
    },
  };
}
