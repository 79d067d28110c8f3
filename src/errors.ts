import type { Context } from "hono";

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
  | "invalid_refresh_token"
  | "invalid_session"
  | "unauthorized"
  | "token_expired"
  | "reauthentication_required"
  | "forbidden"
  | "not_found"
  | "too_many_requests"
  | "upstream_unavailable"
  | "internal_error";

/** HTTP status of each code (docs/API.md's table). */
export const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  user_already_exists: 409,
  weak_password: 400,
  invalid_credentials: 401,
  email_not_confirmed: 403,
  code_mismatch: 400,
  code_expired: 400,
  invalid_refresh_token: 401,
  invalid_session: 401,
  unauthorized: 401,
  token_expired: 401,
  reauthentication_required: 401,
  forbidden: 403,
  not_found: 404,
  too_many_requests: 429,
  upstream_unavailable: 503,
  internal_error: 500,
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

export interface AuthErrorOptions {
  /** Overrides the status implied by the code (only where docs/API.md says so). */
  status?: number;
  headers?: Record<string, string>;
  errors?: FieldError[];
  cause?: unknown;
}

/**
 * The only error type routes throw. `detail` is shown to clients, so it never
 * holds a token, password, code, secret or upstream text; the real reason goes
 * into `cause`, which is logged by type only.
 */
export class AuthError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly headers: Record<string, string>;
  readonly errors?: FieldError[];

  constructor(code: ErrorCode, detail: string, options: AuthErrorOptions = {}) {
    super(detail, { cause: options.cause });
    this.name = "AuthError";
    this.code = code;
    this.status = options.status ?? STATUS[code];
    this.detail = detail;
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

/** The one answer a 500 gives: nothing about what went wrong. */
export const internalError = (cause?: unknown): AuthError =>
  new AuthError("internal_error", "The server could not complete the request.", { cause });

/**
 * True for failures that say nothing about the account (outages, our own bugs).
 * Routes that must answer identically for known and unknown emails let only these through.
 */
export const isOutage = (err: unknown): boolean =>
  !(err instanceof AuthError) || err.code === "upstream_unavailable" || err.code === "internal_error";
