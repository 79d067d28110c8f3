import * as z from "zod/mini";
import { CHALLENGES, METHODS } from "./schemas";

// The bodies the Worker answers with (docs/API.md). Routes import only their
// types (`import type`), so none of this is in the Worker bundle; the OpenAPI
// document (src/openapi/) and the typed client (src/client/) are built from it.

/** Where a confirmation code was sent. */
export const Delivery = z.object({ medium: z.string(), destination: z.string() });
export type Delivery = z.infer<typeof Delivery>;

/** 201 of POST /auth/register. */
export const Registered = z.object({
  userSub: z.string(),
  confirmed: z.boolean(),
  delivery: z.optional(Delivery),
  /** Send it with the code to POST /auth/verify to be signed in as the account is confirmed. */
  session: z.optional(z.string()),
});
export type Registered = z.infer<typeof Registered>;

/** 200 of POST /auth/verify. */
export const Confirmed = z.object({ confirmed: z.literal(true) });
export type Confirmed = z.infer<typeof Confirmed>;

/** 202 of the routes that answer alike for every email (resend-code, forgot-password). */
export const Accepted = z.strictObject({});
export type Accepted = z.infer<typeof Accepted>;

/** The tokens answer of login, challenge, refresh and change-password. */
export const Tokens = z.object({
  accessToken: z.string(),
  idToken: z.optional(z.string()),
  expiresIn: z.number(),
  tokenType: z.literal("Bearer"),
  /** Only with REFRESH_TOKEN_DELIVERY `body` or `both`, and only when one was issued. */
  refreshToken: z.optional(z.string()),
});
export type Tokens = z.infer<typeof Tokens>;

/**
 * The answer of every sign-in and refresh from a browser with
 * SESSION_MODE=browser: no token, what a page renders, and when the session
 * ends at the latest. The session itself is in HttpOnly cookies.
 */
export const SessionAnswer = z.object({
  sub: z.string(),
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
  name: z.optional(z.string()),
  groups: z.array(z.string()),
  /** ISO 8601: the session ends then at the latest (sooner when Cognito's refresh token does). */
  expiresAt: z.string(),
});
export type SessionAnswer = z.infer<typeof SessionAnswer>;

/** 200 of POST /auth/verify with the registration's `session`, from a browser with SESSION_MODE=browser. */
export const ConfirmedSession = z.extend(SessionAnswer, { confirmed: z.literal(true) });
export type ConfirmedSession = z.infer<typeof ConfirmedSession>;

/** 200 of POST /auth/verify with the `session` of the registration: confirmed and signed in. */
export const ConfirmedSignedIn = z.extend(Tokens, { confirmed: z.literal(true) });
export type ConfirmedSignedIn = z.infer<typeof ConfirmedSignedIn>;

/**
 * A sign-in that needs one more step: answer it at POST /auth/challenge.
 * SELECT_CHALLENGE lists the `methods` to choose from; EMAIL_OTP and SMS_OTP
 * say where the code went; WEB_AUTHN carries the options for
 * navigator.credentials.get (PublicKeyCredential.parseRequestOptionsFromJSON).
 */
export const ChallengeAnswer = z.object({
  challenge: z.enum(CHALLENGES),
  session: z.string(),
  methods: z.optional(z.array(z.enum(METHODS))),
  delivery: z.optional(Delivery),
  credentialRequestOptions: z.optional(z.record(z.string(), z.unknown())),
});
export type ChallengeAnswer = z.infer<typeof ChallengeAnswer>;

/** The first answer to MFA_SETUP: the secret to show as a QR code. */
export const MfaSetupChallenge = z.object({
  challenge: z.literal("MFA_SETUP"),
  session: z.string(),
  secret: z.string(),
  otpauthUri: z.string(),
});
export type MfaSetupChallenge = z.infer<typeof MfaSetupChallenge>;

/** 200 of POST /auth/reset-password. */
export const PasswordReset = z.object({ reset: z.literal(true), signedOut: z.boolean() });
export type PasswordReset = z.infer<typeof PasswordReset>;

/** GET /auth/me: the signed-in user. */
export const Profile = z.object({
  sub: z.string(),
  username: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  name: z.optional(z.string()),
  groups: z.array(z.string()),
  attributes: z.record(z.string(), z.string()),
});
export type Profile = z.infer<typeof Profile>;

/** PATCH /auth/me: the profile, and where a code went when a changed attribute needs one. */
export const UpdatedProfile = z.extend(Profile, { delivery: z.optional(Delivery) });
export type UpdatedProfile = z.infer<typeof UpdatedProfile>;

/** 200 of POST /auth/me/attribute-code: where the new code went. */
export const CodeSent = z.object({ delivery: Delivery });
export type CodeSent = z.infer<typeof CodeSent>;

/** 200 of POST /auth/mfa/totp/setup. */
export const TotpSetup = z.object({ secret: z.string(), otpauthUri: z.string() });
export type TotpSetup = z.infer<typeof TotpSetup>;

/** 200 of POST /auth/passkeys/registration: the PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create. */
export const PasskeyRegistration = z.object({ credentialCreationOptions: z.record(z.string(), z.unknown()) });
export type PasskeyRegistration = z.infer<typeof PasskeyRegistration>;

/** One registered passkey. */
export const Passkey = z.object({
  /** The credential id (base64url): DELETE /auth/passkeys/{id}. */
  id: z.string(),
  name: z.string(),
  /** ISO 8601. */
  createdAt: z.string(),
  relyingPartyId: z.string(),
  authenticatorAttachment: z.optional(z.string()),
  transports: z.optional(z.array(z.string())),
});
export type Passkey = z.infer<typeof Passkey>;

/** 200 of GET /auth/passkeys. */
export const PasskeyList = z.object({ passkeys: z.array(Passkey) });
export type PasskeyList = z.infer<typeof PasskeyList>;

/** One session of the user (GET /auth/sessions): a sign-in and every refresh of it. */
export const UserSession = z.object({
  /** The session's id: DELETE /auth/sessions/{id}. */
  id: z.string(),
  /** The User-Agent of its last sign-in or refresh, truncated. */
  device: z.string(),
  /** Cloudflare's country code of its last sign-in or refresh, when known. */
  country: z.optional(z.string()),
  /** ISO 8601: the sign-in. */
  createdAt: z.string(),
  /** ISO 8601: the last sign-in or refresh (not every request). */
  lastUsedAt: z.string(),
  /** The caller's own session. */
  current: z.boolean(),
});
export type UserSession = z.infer<typeof UserSession>;

/** 200 of GET /auth/sessions, most recently used first. */
export const SessionList = z.object({ sessions: z.array(UserSession) });
export type SessionList = z.infer<typeof SessionList>;

/** Sign-in factors (USER_AUTH's first factors, and `totp`, which serves only as MFA). */
const FACTORS = ["password", "email_otp", "sms_otp", "passkey", "totp"] as const;
/** MFA methods. */
const MFA_METHODS = ["totp", "sms", "email", "passkey"] as const;

/** 200 of GET /auth/me/factors. */
export const AuthFactors = z.object({
  factors: z.array(z.enum(FACTORS)),
  mfa: z.object({ preferred: z.optional(z.enum(MFA_METHODS)), enabled: z.array(z.enum(MFA_METHODS)) }),
});
export type AuthFactors = z.infer<typeof AuthFactors>;

/** A user as the admin API shows it. */
export const AdminUser = z.object({
  username: z.string(),
  sub: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  enabled: z.boolean(),
  status: z.string(),
  attributes: z.record(z.string(), z.string()),
  groups: z.optional(z.array(z.string())),
  createdAt: z.optional(z.string()),
});
export type AdminUser = z.infer<typeof AdminUser>;

/** One page of GET /admin/users; pass `cursor` back for the next. */
export const AdminUserPage = z.object({ users: z.array(AdminUser), cursor: z.optional(z.string()) });
export type AdminUserPage = z.infer<typeof AdminUserPage>;

/** GET /health. */
export const Health = z.object({
  status: z.literal("ok"),
  features: z.optional(z.record(z.string(), z.boolean())),
});
export type Health = z.infer<typeof Health>;

/** RFC 9457 problem details, the body of every error. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  code: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
export type Problem = z.infer<typeof Problem>;
