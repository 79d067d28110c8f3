import type { CallRecord, Cognito } from "./cognito/client";
import type { Config } from "./config";
import type { ErrorCode } from "./errors";
import type { AccessClaims, JsonPayload } from "./tokens/claims";

/** The verified caller of a bearer route. */
export interface AuthContext {
  token: string;
  claims: AccessClaims;
}

/**
 * The optional bindings (docs/API.md), declared here only: they are commented
 * out in wrangler.toml, so `wrangler types` cannot see them; src/env.d.ts adds
 * them to Env.
 */
export interface OptionalBindings {
  /** Honoured when bound: revoked tokens are refused. */
  REVOCATIONS?: KVNamespace;
  /** The gateway's upstream Worker; without it, paths outside the Worker's own are 404. */
  UPSTREAM?: Fetcher;
}

/**
 * The bindings token verification reads (docs/API.md), and the only ones:
 * every other variable of the env is left to the app it belongs to.
 */
export interface VerifierBindings extends Pick<OptionalBindings, "REVOCATIONS"> {
  AWS_REGION: string;
  COGNITO_USER_POOL_ID: string;
  COGNITO_CLIENT_ID: string;
  COGNITO_ENDPOINT?: string;
  COGNITO_ISSUER?: string;
  COGNITO_ISSUER_FORMAT?: string;
  COGNITO_TIMEOUT_MS?: string;
  /** Turns on the authenticated JWKS copy in the Cache API; with its rotation pair. */
  EDGE_SECRET?: string;
  EDGE_SECRET_PREVIOUS?: string;
  EDGE_SECRET_PREVIOUS_UNTIL?: string;
}

/** The Hono environment requireAuth needs, and what it adds: `c.var.auth`. */
export interface VerifierEnv {
  Bindings: VerifierBindings;
  Variables: { auth: AuthContext };
}

/** What AuthService.verify (RPC) answers: never throws for a bad token. */
export type VerifyResult = { valid: true; claims: JsonPayload } | { valid: false; code: ErrorCode };

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
