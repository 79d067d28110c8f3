import type { CallRecord, Cognito } from "./cognito/client";
import type { Config } from "./config";
import type { AccessClaims } from "./tokens/claims";

/** The verified caller of a bearer route. */
export interface AuthContext {
  token: string;
  claims: AccessClaims;
}

/** Hono environment of the app: bindings and per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Cognito calls of this request, for its log line. */
    trace: CallRecord[];
    /** The error code this request answered with, if any. */
    errorCode?: string;
    config: Config;
    cognito: Cognito;
    auth: AuthContext;
    /** Set when the answer is the upstream's (gateway), which we pass through unchanged. */
    forwarded?: boolean;
  };
}
