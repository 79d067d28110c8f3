import type { ErrorCode, FieldError } from "../errors";

/** The Worker's codes (docs/API.md), plus what the client itself can run into. */
export type ClientErrorCode = ErrorCode | "network_error" | "timeout" | "unexpected_answer" | "not_signed_in";

/** A problem+json answer of the Worker (or a failure to get one), as the client throws it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode;
  /** The Worker's sentence for humans; may change, never parse it. */
  readonly detail: string;
  /** Field-level problems of a `validation_failed`. */
  readonly errors: FieldError[];
  /** Seconds, from Retry-After (429, 503). */
  readonly retryAfter?: number;
  readonly requestId?: string;

  constructor(status: number, code: ClientErrorCode, detail: string, extra: { errors?: FieldError[]; retryAfter?: number; requestId?: string } = {}) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = extra.errors ?? [];
    this.retryAfter = extra.retryAfter;
    this.requestId = extra.requestId;
  }

  /** Reads a failed answer; anything that is not our problem+json is `unexpected_answer`. */
  static async from(res: Response): Promise<ApiError> {
    const retry = Number(res.headers.get("Retry-After"));
    const extra = {
      retryAfter: Number.isFinite(retry) && retry >= 0 && res.headers.has("Retry-After") ? retry : undefined,
      requestId: res.headers.get("X-Request-Id") ?? undefined,
    };
    const type = res.headers.get("Content-Type") ?? "";
    if (type.startsWith("application/problem+json")) {
      const body = (await res.json().catch(() => undefined)) as { code?: ErrorCode; detail?: string; errors?: FieldError[] } | undefined;
      if (body?.code) return new ApiError(res.status, body.code, body.detail ?? "", { ...extra, errors: body.errors });
    }
    return new ApiError(res.status, "unexpected_answer", `The server answered ${res.status}.`, extra);
  }
}

/** The problem code of an answer, when it is problem+json. */
export async function codeOf(res: Response): Promise<string | undefined> {
  if (!(res.headers.get("Content-Type") ?? "").startsWith("application/problem+json")) return undefined;
  const body = (await res.clone().json().catch(() => undefined)) as { code?: string } | undefined;
  return body?.code;
}
