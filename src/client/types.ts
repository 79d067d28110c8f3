import type * as z from "zod/mini";
import type { Delivery } from "../answers";
import type * as schemas from "../schemas";
import type { Challenge, Method } from "../schemas";
import type { ApiError } from "./api-error";
import type { RetryOptions } from "./retry";

type BodySchemas = {
  [K in keyof typeof schemas as (typeof schemas)[K] extends z.ZodMiniType ? K : never]: (typeof schemas)[K];
};

/** What a request body may hold: the input side of the zod schema the Worker validates it with. */
export type Input<K extends keyof BodySchemas> = BodySchemas[K] extends z.ZodMiniType ? z.input<BodySchemas[K]> : never;

/** Where the app keeps the refresh token in `body` delivery (localStorage, a KV entry, a file, ...). */
export interface RefreshTokenStorage {
  get(): string | null | undefined | Promise<string | null | undefined>;
  /** `null` removes it. */
  set(token: string | null): void | Promise<void>;
}

/** `session_ended`: session delivery, the Worker answered 401 `unauthorized` for the session (ended elsewhere, revoked, its refresh refused). */
export type SignedOutReason = "logout" | "refresh_failed" | "session_ended" | "password_changed" | "account_deleted";

/**
 * Session delivery: what the client knows of the signed-in user, from the
 * sign-in's answer. After `restore()` it comes from GET /auth/me, which does
 * not say when the session ends: `expiresAt` is then absent.
 */
export interface SessionUser {
  sub: string;
  email?: string;
  phone?: string;
  name?: string;
  groups: string[];
  /** ISO 8601: the session ends then at the latest. */
  expiresAt?: string;
}

export interface ClientOptions {
  /** The Worker's origin (`https://auth.example.com`); leave it out in a page the Worker serves itself. */
  baseUrl?: string;
  /**
   * How the Worker hands out what keeps the user signed in. `session` for
   * browser apps with SESSION_MODE=browser (recommended): the Worker answers
   * HttpOnly session cookies and no token, the client holds no token at all
   * and sends every request with credentials. Otherwise REFRESH_TOKEN_DELIVERY's
   * refresh token: `cookie` in browsers (requests are sent with credentials; a
   * refresh token that also comes in a body is dropped), `body` elsewhere
   * (kept in `storage`); the access token is then held in memory.
   */
  delivery: "session" | "cookie" | "body";
  storage?: RefreshTokenStorage;
  /** A fetch of your own: a service binding's, or one that records calls. */
  fetch?: typeof fetch;
  /**
   * How long a refresh is tried again when it meets throttling (429), an
   * outage (502, 503, 504), a timeout or a lost network: after Retry-After, at
   * most `tries` attempts and `maxWaitS` seconds of waiting. Then the call
   * fails with that error and the session is kept.
   */
  refreshRetry?: RetryOptions;
  /**
   * Told when the session ends: by logout, a refresh the Worker refused (401
   * `invalid_refresh_token`), a session the Worker no longer accepts (session
   * delivery: 401 `unauthorized`), a password change or account deletion.
   */
  onSignedOut?: (reason: SignedOutReason) => void;
  /**
   * Called on 401 `reauthentication_required` (RFC 9470 step-up): sign the
   * user in again (`client.login`, and `answerChallenge` if asked) and resolve;
   * the call is then retried once. Concurrent calls share one prompt.
   */
  reauthenticate?: (context: { email?: string; phone?: string; error: ApiError }) => Promise<void>;
}

/** Who signs in: an email address or a phone number. */
export interface Identity {
  email?: string;
  phone?: string;
}

/** What answerChallenge sends for the pending challenge (docs/API.md). */
export type ChallengeResponse = Omit<Input<"ChallengeBody">, "email" | "phone" | "challenge" | "session">;

/** Outcome of login, answerChallenge and changePassword. */
export type SignInResult =
  | { status: "signedIn" }
  | {
      status: "challenge";
      challenge: Challenge;
      /** MFA_SETUP's first answer: the secret for the authenticator app (show `otpauthUri` as a QR code). */
      secret?: string;
      otpauthUri?: string;
      /** SELECT_CHALLENGE: the methods to choose from (answer with `{ method }`). */
      methods?: Method[];
      /** EMAIL_OTP, SMS_OTP: where the code went, masked. */
      delivery?: Delivery;
      /** WEB_AUTHN: for navigator.credentials.get (PublicKeyCredential.parseRequestOptionsFromJSON); answer with `{ credential }`. */
      credentialRequestOptions?: Record<string, unknown>;
    };

/**
 * A new passkey's RegistrationResponseJSON (`credential.toJSON()` after
 * navigator.credentials.create), for `passkeys.completeRegistration`. Its other
 * fields (authenticatorAttachment, clientExtensionResults, ...) are sent as they are.
 */
export interface PasskeyCredential {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; attestationObject: string; transports?: string[] };
}
