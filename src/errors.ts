import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Stable, machine-readable error codes of docs/API.md. */
export type ErrorCode =
  | "validation_failed"
  | "invalid_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "user_already_exists"
  | "weak_password"
  | "invalid_credentials"
  | "email_not_confirmed"
  | "code_mismatch"
  | "code_expired"
  | "sms_country_not_allowed"
  | "invalid_refresh_token"
  | "invalid_session"
  | "unauthorized"
  | "token_expired"
  | "reauthentication_required"
  | "second_factor_required"
  | "forbidden"
  | "not_found"
  | "too_many_requests"
  | "upstream_unavailable"
  | "internal_error";

/**
 * HTTP status and default `detail` of each code (docs/API.md's table), as
 * jose's errors carry their message: a thrower writes text only to say more.
 */
export const ERRORS: Record<ErrorCode, [status: ContentfulStatusCode, detail: string]> = {
  validation_failed: [400, "The request does not match its schema."],
  invalid_json: [400, "The body is not valid JSON."],
  unsupported_media_type: [415, "The body must be application/json."],
  payload_too_large: [413, "The body is too large."],
  user_already_exists: [409, "An account with this email address or phone number already exists."],
  weak_password: [400, "The password does not meet the pool's password policy."],
  invalid_credentials: [401, "Incorrect email or password."],
  email_not_confirmed: [403, "The email address has not been verified yet."],
  code_mismatch: [400, "The code is not correct."],
  code_expired: [400, "The code has expired; request a new one."],
  sms_country_not_allowed: [400, "Text messages cannot be sent to this country; use an email address or another number."],
  invalid_refresh_token: [401, "The refresh token is missing, revoked or expired."],
  invalid_session: [401, "The sign-in session has expired or is not valid; sign in again."],
  unauthorized: [401, "The access token is not valid."],
  token_expired: [401, "The access token has expired."],
  reauthentication_required: [401, "This change needs a recent sign-in; sign in again and retry."],
  second_factor_required: [401, "This account has an authenticator app or a passkey: sign in with it, not with a one-time code."],
  forbidden: [403, "The request was refused."],
  not_found: [404, "There is nothing at this path."],
  too_many_requests: [429, "Too many attempts; retry later."],
  upstream_unavailable: [503, "The user pool is unavailable; retry later."],
  internal_error: [500, "The server could not complete the request."],
};

/** docs/API.md: 429 and 503 always carry Retry-After; seconds unless the thrower knows better. */
const DEFAULT_RETRY_AFTER: Partial<Record<ErrorCode, string>> = { too_many_requests: "5", upstream_unavailable: "5" };

/** `invalid_credentials` -> `Invalid credentials`. */
const titleOf = (code: ErrorCode) => code[0].toUpperCase() + code.slice(1).replace(/_/g, " ");

/** One field-level problem of a validation error. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Why an error happened, for the log only (workers-oauth-provider's internal
 * reason): never a token, password, code, secret, email or upstream text.
 */
export interface ErrorCause {
  reason: string;
  [field: string]: string | number | undefined;
}

/** The log cause of a thrown value: an Error's name only, since its message may hold upstream text. */
export const causeOf = (err: unknown): ErrorCause => ({ reason: err instanceof Error ? err.name : typeof err });

interface AuthErrorOptions {
  /** Overrides the status implied by the code (only where docs/API.md says so). */
  status?: ContentfulStatusCode;
  headers?: Record<string, string>;
  errors?: FieldError[];
  cause?: ErrorCause;
}

/**
 * The only error type routes throw. `detail` is shown to clients, so it never
 * holds a token, password, code, secret or upstream text; it defaults to the
 * code's own (ERRORS). The real reason goes into `cause`, which is only logged.
 */
export class AuthError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly detail: string;
  readonly headers: Record<string, string>;
  readonly errors?: FieldError[];
  declare readonly cause?: ErrorCause;

  constructor(code: ErrorCode, options?: AuthErrorOptions);
  constructor(code: ErrorCode, detail: string | undefined, options?: AuthErrorOptions);
  constructor(code: ErrorCode, detailOrOptions?: string | AuthErrorOptions, moreOptions: AuthErrorOptions = {}) {
    const options = typeof detailOrOptions === "object" ? detailOrOptions : moreOptions;
    const [status, detail] = ERRORS[code];
    super(typeof detailOrOptions === "string" ? detailOrOptions : detail, { cause: options.cause });
    this.name = "AuthError";
    this.code = code;
    this.status = options.status ?? status;
    this.detail = this.message;
    const retryAfter = DEFAULT_RETRY_AFTER[code];
    this.headers = { ...(retryAfter ? { "Retry-After": retryAfter } : {}), ...options.headers };
    this.errors = options.errors;
  }

  /**
   * This error as RFC 9457 problem details, with its headers. Hono's default
   * error handler answers with it, so an app without onError answers right too.
   */
  getResponse(): Response {
    const body = { type: "about:blank", title: titleOf(this.code), status: this.status, detail: this.detail, code: this.code, errors: this.errors };
    return new Response(JSON.stringify(body), {
      status: this.status,
      headers: { ...this.headers, "Content-Type": "application/problem+json", "Cache-Control": "no-store" },
    });
  }
}

/** Answers an AuthError (its getResponse()) with the headers already set on the context, as Hono's default handler does. */
export function problem(c: Context, err: AuthError): Response {
  const res = err.getResponse();
  return c.newResponse(res.body, res);
}

/** The one answer a 500 gives to something thrown that is no AuthError: nothing about what went wrong. */
export const internalError = (err: unknown): AuthError => new AuthError("internal_error", { cause: causeOf(err) });

/**
 * True for failures that say nothing about the account (outages, our own bugs).
 * Routes that must answer identically for known and unknown emails let only these through.
 */
export const isOutage = (err: unknown): boolean =>
  !(err instanceof AuthError) || err.code === "upstream_unavailable" || err.code === "internal_error";
