import type { Context } from "hono";

/** Stable, machine-readable error codes of API.md. */
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
  | "forbidden"
  | "not_found"
  | "too_many_requests"
  | "upstream_unavailable"
  | "internal_error";

interface CodeInfo {
  status: number;
  title: string;
}

const CODES: Record<ErrorCode, CodeInfo> = {
  validation_failed: { status: 400, title: "Validation failed" },
  invalid_json: { status: 400, title: "Invalid JSON" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  payload_too_large: { status: 413, title: "Payload too large" },
  user_already_exists: { status: 409, title: "User already exists" },
  weak_password: { status: 400, title: "Weak password" },
  invalid_credentials: { status: 401, title: "Invalid credentials" },
  email_not_confirmed: { status: 403, title: "Email not confirmed" },
  code_mismatch: { status: 400, title: "Code mismatch" },
  code_expired: { status: 400, title: "Code expired" },
  invalid_refresh_token: { status: 401, title: "Invalid refresh token" },
  invalid_session: { status: 401, title: "Invalid session" },
  unauthorized: { status: 401, title: "Unauthorized" },
  token_expired: { status: 401, title: "Token expired" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  too_many_requests: { status: 429, title: "Too many requests" },
  upstream_unavailable: { status: 503, title: "Upstream unavailable" },
  internal_error: { status: 500, title: "Internal error" },
};

/** One field-level problem of a validation error. */
export interface FieldError {
  path: string;
  message: string;
}

export interface AuthErrorOptions {
  /** Overrides the status implied by the code (only where API.md says so). */
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
    this.status = options.status ?? CODES[code].status;
    this.detail = detail;
    this.headers = options.headers ?? {};
    this.errors = options.errors;
  }
}

/** Writes an AuthError as RFC 9457 problem details. */
export function problem(c: Context, err: AuthError): Response {
  const body: Record<string, unknown> = {
    type: "about:blank",
    title: CODES[err.code].title,
    status: err.status,
    detail: err.detail,
    code: err.code,
  };
  if (err.errors) body.errors = err.errors;
  const res = c.body(JSON.stringify(body), err.status as 400, {
    ...err.headers,
    "Content-Type": "application/problem+json",
    "Cache-Control": "no-store",
  });
  return res;
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
