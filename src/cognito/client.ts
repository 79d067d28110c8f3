import { AwsV4Signer } from "aws4fetch";
import type { Config } from "../config";
import { AuthError } from "../errors";
import { log } from "../log";
import { type CallContext, mapCognitoError } from "./errors";
import { secretHash } from "./secret-hash";
import type { UserContextData } from "./user-context";

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

/** A request or response body; members set to undefined are left out of the request (JSON.stringify). */
export type JsonObject = Record<string, unknown>;

/** Options of one call. */
interface CallOptions {
  /** Sign with SigV4 (admin operations). */
  signed?: boolean;
  /**
   * Safe to repeat (reads): one retry after a jittered pause on a network
   * error, a 5xx or throttling, within the same overall timeout. Never for
   * calls whose repetition changes state (SignUp, password changes, ...).
   */
  retry?: boolean;
}

/** A failure worth one more try of a safe call. */
class Transient extends Error {
  constructor(readonly error: AuthError) {
    super(error.detail);
  }
}

const unavailable = (reason: string, op: string): AuthError =>
  new AuthError("upstream_unavailable", { cause: { op, reason } });

/** A SigV4-signed copy of the request (aws4fetch's signer; we need no retries or S3 logic of its client). */
async function signed(config: Config, init: RequestInit & { headers: Record<string, string>; body: string }): Promise<Request> {
  if (!config.aws) throw new AuthError("upstream_unavailable", { cause: { reason: "no admin credentials" } });
  const signer = new AwsV4Signer({
    ...config.aws,
    url: config.endpoint,
    method: "POST",
    headers: init.headers,
    body: init.body,
    service: "cognito-idp",
    region: config.region,
  });
  const { url, headers, body } = await signer.sign();
  return new Request(url, { method: "POST", headers, body });
}

/** One Cognito call as the request log reports it. */
export interface CallRecord {
  op: string;
  status: number | "timeout" | "network";
  ms: number;
}

/**
 * The Cognito JSON API over fetch: one POST per operation, a timeout on every
 * call, errors mapped to AuthError, and the response parsed before use.
 * `trace` collects the calls of one request for its log line.
 */
export class Cognito {
  constructor(
    readonly config: Config,
    readonly trace: CallRecord[] = [],
    /** The user's context, for the operations that take UserContextData. */
    readonly userContext?: UserContextData,
  ) {}

  /** The same client for one request: recording its calls into `trace`, carrying its user's context. */
  forRequest(trace: CallRecord[], userContext?: UserContextData): Cognito {
    return new Cognito(this.config, trace, userContext);
  }

  /** SECRET_HASH for `username` when the app client has a secret. */
  async secretHash(username: string): Promise<string | undefined> {
    const { clientSecret, clientId } = this.config;
    return clientSecret ? secretHash(username, clientId, clientSecret) : undefined;
  }

  /** Calls `op` with `input`; resolves to the parsed JSON object or throws AuthError. */
  async call(op: string, input: JsonObject, context: CallContext, options: CallOptions = {}): Promise<JsonObject> {
    const deadline = Date.now() + this.config.timeoutMs;
    try {
      return await this.attempt(op, input, context, options, this.config.timeoutMs);
    } catch (err) {
      if (!(err instanceof Transient)) throw err;
      const pause = 50 + Math.random() * 100;
      if (!options.retry || Date.now() + pause + 100 >= deadline) throw err.error;
      await new Promise((resolve) => setTimeout(resolve, pause));
      try {
        return await this.attempt(op, input, context, options, deadline - Date.now());
      } catch (again) {
        throw again instanceof Transient ? again.error : again;
      }
    }
  }

  private async attempt(
    op: string,
    input: JsonObject,
    context: CallContext,
    options: CallOptions,
    timeoutMs: number,
  ): Promise<JsonObject> {
    const started = Date.now();
    const init = {
      method: "POST",
      headers: { "Content-Type": CONTENT_TYPE, "X-Amz-Target": TARGET_PREFIX + op },
      body: JSON.stringify(input),
    };
    let res: Response;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      if (options.signed) {
        res = await fetch(await signed(this.config, init), { signal });
      } else {
        res = await fetch(this.config.endpoint, { ...init, signal });
      }
    } catch (err) {
      if (err instanceof AuthError) throw err;
      const reason = err instanceof Error && err.name === "TimeoutError" ? "timeout" : "network";
      this.trace.push({ op, status: reason, ms: Date.now() - started });
      throw new Transient(unavailable(reason, op));
    }
    const payload = await readJson(res);
    this.trace.push({ op, status: res.status, ms: Date.now() - started });
    if (res.ok) {
      if (!payload) throw new Transient(unavailable("malformed response", op));
      return payload;
    }
    if (res.status >= 500 && !payload?.__type) throw new Transient(unavailable(`status ${res.status}`, op));
    const type = String(payload?.__type ?? res.headers.get("x-amzn-ErrorType") ?? "Unknown");
    const message = String(payload?.message ?? payload?.Message ?? "");
    const error = mapCognitoError(type, message, res.status, context);
    if (error.code === "internal_error") log("error", "cognito_error_unmapped", { op, type, status: res.status });
    throw res.status >= 500 || /TooManyRequestsException/.test(type) ? new Transient(error) : error;
  }
}

async function readJson(res: Response): Promise<JsonObject | undefined> {
  try {
    const text = new TextDecoder().decode(await res.arrayBuffer());
    const value: unknown = text === "" ? {} : JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
