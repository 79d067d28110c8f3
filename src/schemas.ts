import * as z from "zod/mini";

/**
 * At most `max` UTF-16 code units: Cognito counts string lengths as Java does,
 * while zod's length checks count code points, so a value of astral characters
 * could pass zod and be refused by Cognito.
 */
const units = (max: number) => z.refine<string>((v) => v.length <= max, { message: "is too long" });

/** Emails are trimmed and lower-cased (docs/API.md), then checked; the email is Cognito's username (at most 128). */
export const Email = z.lazy(() => z.pipe(
  z.string().check(z.maxLength(128), z.trim(), z.toLowerCase()),
  z.email(),
));
/** Cognito accepts up to 256 characters; the policy itself is the pool's. */
export const Password = z.lazy(() => z.string().check(z.minLength(1), units(256)));
/** 1-64 characters without whitespace; characters are code points, as zod's lengths count them (hence `u`). */
export const Code = z.lazy(() => z.string().check(z.regex(/^\S{1,64}$/u)));
/** Cognito's AttributeNameType: at most 32 characters (custom:… included). */
const AttributeName = z.lazy(() => z.string().check(z.regex(/^[A-Za-z0-9_:.-]{1,32}$/)));
const AttributeValue = z.lazy(() => z.string().check(units(2048)));

/** Attributes Cognito manages itself; clients may not set them. */
const RESERVED = /^(sub|email_verified|phone_number_verified|cognito:.*|identities)$/;

const attributeMap = (alsoReserved?: RegExp) =>
  z.record(AttributeName, AttributeValue).check(
    z.refine((attrs) => Object.keys(attrs).every((k) => !RESERVED.test(k) && !alsoReserved?.test(k)), {
      message: "names an attribute that cannot be set",
    }),
    z.refine((attrs) => Object.keys(attrs).length <= 50, { message: "has too many attributes" }),
  );

export const RegisterBody = z.lazy(() => z.strictObject({
  email: Email,
  password: Password,
  name: z.string().check(z.trim(), z.minLength(1), units(2048)),
  attributes: z.optional(attributeMap(/^(email|name)$/)),
}));
export const VerifyBody = z.lazy(() => z.strictObject({ email: Email, code: Code }));
export const EmailBody = z.lazy(() => z.strictObject({ email: Email }));
export const LoginBody = z.lazy(() => z.strictObject({ email: Email, password: Password }));
export const RefreshBody = z.lazy(() => z.strictObject({ refreshToken: z.optional(z.string().check(z.minLength(1), z.maxLength(8192))) }));
export const LogoutBody = z.lazy(() => z.strictObject({
  refreshToken: z.optional(z.string().check(z.minLength(1), z.maxLength(8192))),
  global: z.optional(z.boolean()),
}));
export const ResetPasswordBody = z.lazy(() => z.strictObject({ email: Email, code: Code, newPassword: Password }));
export const ChangePasswordBody = z.lazy(() => z.strictObject({ currentPassword: Password, newPassword: Password }));
export const UpdateMeBody = z.lazy(() => z.strictObject({
  attributes: attributeMap().check(z.refine((a) => Object.keys(a).length > 0, { message: "is empty" })),
}));
export const VerifyAttributeBody = z.lazy(() => z.strictObject({ attribute: AttributeName, code: Code }));

/** The challenges POST /auth/challenge answers (docs/API.md). */
export const CHALLENGES = ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP", "NEW_PASSWORD_REQUIRED", "MFA_SETUP"] as const;
export type Challenge = (typeof CHALLENGES)[number];

export const ChallengeBody = z
  .strictObject({
    email: Email,
    challenge: z.enum(CHALLENGES),
    session: z.string().check(z.minLength(1), z.maxLength(4096)),
    code: z.optional(Code),
    newPassword: z.optional(Password),
  })
  .check(
    z.refine((b) => b.challenge === "MFA_SETUP" || b.challenge === "NEW_PASSWORD_REQUIRED" || b.code !== undefined, {
      message: "is required for this challenge",
      path: ["code"],
    }),
    // VerifySoftwareToken takes six digits only (SoftwareTokenMFAUserCodeType), as /auth/mfa/totp/verify does.
    z.refine((b) => b.challenge !== "MFA_SETUP" || b.code === undefined || /^\d{6}$/.test(b.code), {
      message: "must be six digits",
      path: ["code"],
    }),
    z.refine((b) => b.challenge !== "NEW_PASSWORD_REQUIRED" || b.newPassword !== undefined, {
      message: "is required for this challenge",
      path: ["newPassword"],
    }),
  );

export const TotpVerifyBody = z.lazy(() => z.strictObject({
  code: z.string().check(z.regex(/^\d{6}$/)),
  deviceName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
}));

export const AdminCreateBody = z.lazy(() => z.strictObject({
  email: Email,
  name: z.optional(z.string().check(z.trim(), z.minLength(1), units(2048))),
  temporaryPassword: z.optional(Password),
  attributes: z.optional(attributeMap(/^(email|name)$/)),
}));

/** Bytes as WebAuthn's JSON forms carry them: base64url (padding tolerated), at most `max` characters. */
const Base64url = (max: number) => z.string().check(z.regex(/^[A-Za-z0-9_-]+={0,2}$/), z.maxLength(max));
/** A WebAuthn credential id: at most 1,023 bytes (WebAuthn §5.8.3), so at most 1,364 base64url characters. */
export const CredentialId = z.lazy(() => Base64url(1366));

/**
 * A RegistrationResponseJSON (PublicKeyCredential.toJSON() after
 * navigator.credentials.create). The fields checked here are those every
 * registration has; Cognito verifies the rest, and other fields (extension
 * results, publicKey, ...) pass through unchanged. The body limit bounds it all.
 */
export const RegistrationResponse = z.lazy(() => z.looseObject({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: Base64url(8192),
    attestationObject: Base64url(12288),
    transports: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(32))).check(z.maxLength(16))),
  }),
}));
export const PasskeyBody = z.lazy(() => z.strictObject({ credential: RegistrationResponse }));
