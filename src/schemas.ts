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
/** E.164 (docs/API.md): `+`, a country code and at most 15 digits in all; Cognito's phone_number. */
export const Phone = z.lazy(() => z.string().check(z.regex(/^\+[1-9][0-9]{6,14}$/)));
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

/** Who a request is about: `email` or `phone`, exactly one (or at least one, at registration). */
interface Identified {
  email?: string;
  phone?: string;
}
const exactlyOne = z.refine<Identified>((b) => (b.email === undefined) !== (b.phone === undefined), {
  message: "exactly one of email and phone is required",
  path: ["email"],
});
const identity = () => ({ email: z.optional(Email), phone: z.optional(Phone) });

/** The first factors of a choice-based sign-in (docs/API.md), in our words. */
export const METHODS = ["password", "email_otp", "sms_otp", "passkey"] as const;
export type Method = (typeof METHODS)[number];

export const RegisterBody = z.lazy(() =>
  z
    .strictObject({
      ...identity(),
      // Left out: a passwordless account, where the pool allows one-time codes as a first factor.
      password: z.optional(Password),
      name: z.string().check(z.trim(), z.minLength(1), units(2048)),
      attributes: z.optional(attributeMap(/^(email|name|phone_number)$/)),
    })
    .check(z.refine((b) => b.email !== undefined || b.phone !== undefined, { message: "email or phone is required", path: ["email"] })),
);
export const VerifyBody = z.lazy(() =>
  z.strictObject({ ...identity(), code: Code, session: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))) }).check(exactlyOne),
);
export const EmailBody = z.lazy(() => z.strictObject({ email: Email }));
/** resend-code: by email or by phone. */
export const IdentityBody = z.lazy(() => z.strictObject(identity()).check(exactlyOne));
export const LoginBody = z.lazy(() =>
  z
    .strictObject({ ...identity(), password: z.optional(Password), method: z.optional(z.enum(METHODS)) })
    .check(
      exactlyOne,
      z.refine((b) => b.method !== "password" || b.password !== undefined, { message: "is required for method password", path: ["password"] }),
      z.refine((b) => b.method === undefined || b.method === "password" || b.password === undefined, {
        message: "is only allowed with method password",
        path: ["password"],
      }),
    ),
);
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
/** The attributes a code proves (POST /auth/me/attribute-code). */
export const AttributeCodeBody = z.lazy(() => z.strictObject({ attribute: z.enum(["email", "phone_number"]) }));

/** The challenges POST /auth/challenge answers (docs/API.md). */
export const CHALLENGES = [
  "SOFTWARE_TOKEN_MFA",
  "SMS_MFA",
  "EMAIL_OTP",
  "SMS_OTP",
  "NEW_PASSWORD_REQUIRED",
  "MFA_SETUP",
  "SELECT_CHALLENGE",
  "WEB_AUTHN",
] as const;
export type Challenge = (typeof CHALLENGES)[number];
/** Challenges answered with a `code`. */
const CODE_CHALLENGES: readonly Challenge[] = ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP", "SMS_OTP"];

/** A base64url value of an AuthenticationResponseJSON. */
const B64 = z.lazy(() => z.string().check(z.regex(/^[\w-]{0,8192}$/)));
/** WebAuthn's AuthenticationResponseJSON (what navigator.credentials.get gives, as JSON): sent on to Cognito as CREDENTIAL. */
export const Credential = z.lazy(() =>
  z.looseObject({
    id: B64,
    rawId: B64,
    type: z.literal("public-key"),
    response: z.looseObject({ clientDataJSON: B64, authenticatorData: B64, signature: B64, userHandle: z.optional(B64) }),
  }),
);

export const ChallengeBody = z
  .strictObject({
    ...identity(),
    challenge: z.enum(CHALLENGES),
    session: z.string().check(z.minLength(1), z.maxLength(4096)),
    code: z.optional(Code),
    newPassword: z.optional(Password),
    method: z.optional(z.enum(METHODS)),
    password: z.optional(Password),
    credential: z.optional(Credential),
  })
  .check(
    exactlyOne,
    z.refine((b) => !CODE_CHALLENGES.includes(b.challenge) || b.code !== undefined, {
      message: "is required for this challenge",
      path: ["code"],
    }),
    z.refine((b) => b.challenge !== "SELECT_CHALLENGE" || b.method !== undefined, { message: "is required for this challenge", path: ["method"] }),
    z.refine((b) => b.challenge !== "SELECT_CHALLENGE" || (b.method === "password") === (b.password !== undefined), {
      message: "is required with method password, and only with it",
      path: ["password"],
    }),
    z.refine((b) => b.challenge !== "WEB_AUTHN" || b.credential !== undefined, { message: "is required for this challenge", path: ["credential"] }),
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
