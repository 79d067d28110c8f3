import type { CallRecord, Cognito } from "./cognito/client";
import type { Config } from "./config";
import type { ErrorCode } from "./errors";
import type { AccountLimiter } from "./limits/account-limiter";
import type { SmsBudget } from "./limits/sms-budget";
import type { SessionRegistry } from "./sessions/registry";
import type { SessionAuth } from "./middleware/require-auth";
import type { BrowserSession } from "./session/browser-cookie";
import type { AccessClaims, JsonPayload } from "./tokens/claims";

/** The verified caller of a bearer route. */
export interface AuthContext {
  token: string;
  claims: AccessClaims;
}

/**
 * The optional bindings (docs/API.md), declared here only: they are commented
 * out in wrangler.toml, so `wrangler types` cannot see them; src/env.d.ts adds
 * them to the generated Env.
 */
export interface OptionalBindings {
  /** Honoured when bound: revoked tokens are refused. */
  REVOCATIONS?: KVNamespace;
  /** The gateway's upstream Worker; without it, paths no rule forwards elsewhere are 404. */
  UPSTREAM?: Fetcher;
  /** The session registry (one object per user); without it, /auth/sessions is 404 and nothing is recorded. */
  SESSIONS?: DurableObjectNamespace<SessionRegistry>;
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

/**
 * The Worker's bindings (wrangler.toml, docs/API.md). Named here, not taken
 * from the global Env that `wrangler types` generates: a host app's global Env
 * describes the host's own configuration, so published types must not lean on
 * it. Variables are typed as `wrangler types` types them (config.ts parses
 * each, unset ones included); test/types/worker-env.ts holds this interface
 * to the generated Env.
 */
export interface WorkerEnv extends VerifierBindings, OptionalBindings {
  IP_LIMITER: RateLimit;
  REFRESH_LIMITER: RateLimit;
  USER_LIMITER: RateLimit;
  SITE_LIMITER: RateLimit;
  FALLBACK_LIMITER: RateLimit;
  ACCOUNT_LIMITER: DurableObjectNamespace<AccountLimiter>;
  SMS_BUDGET: DurableObjectNamespace<SmsBudget>;
  EDGE_SECRET: string;
  EDGE_SECRET_PREVIOUS: string;
  EDGE_SECRET_PREVIOUS_UNTIL: string;
  COGNITO_CLIENT_SECRET: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_SESSION_TOKEN: string;
  COGNITO_ENDPOINT: string;
  COGNITO_ISSUER: string;
  COGNITO_TIMEOUT_MS: string;
  COGNITO_ISSUER_FORMAT: string;
  COGNITO_USER_CONTEXT_IP: string;
  ADMIN_GROUP: string;
  REFRESH_TOKEN_DELIVERY: string;
  REFRESH_ROTATION: string;
  SESSION_MODE: string;
  CORS_ORIGINS: string;
  PUBLIC_PATHS: string;
  GATEWAY_RULES: string;
  GATEWAY_FORWARD_AUTHORIZATION: string;
  GATEWAY_SIGNING_KEY: string;
  GATEWAY_SIGNING_KEY_NEXT: string;
  GATEWAY_ASSERTION_AUDIENCE: string;
  GATEWAY_ASSERTION_ISSUER: string;
  AUTH_HOST: string;
  COGNITO_DOMAIN: string;
  OAUTH_REDIRECT_URI: string;
  OAUTH_RETURN_ORIGINS: string;
  TOTP_ISSUER: string;
  RATE_LIMITS: string;
  SMS_COUNTRY_CODES: string;
  SMS_HOURLY_LIMIT: string;
  LOG_LEVEL: string;
  GATEWAY_LOG_SAMPLE_RATE: string;
  REAUTH_MAX_AGE_S: string;
  WRITABLE_ATTRIBUTES: string;
  FIRST_FACTORS: string;
  PASSKEY_RP_ID: string;
  PASSKEY_TIMEOUT_MS: string;
  PASSKEY_USER_VERIFICATION: string;
  SESSION_LIMIT: string;
}

/** Hono environment of the app: bindings and per-request variables. */
export interface AppEnv {
  Bindings: WorkerEnv;
  Variables: {
    requestId: string;
    /** Cognito calls of this request, for its log line. */
    trace: CallRecord[];
    /** The error code this request answered with, if any. */
    errorCode?: string;
    config: Config;
    cognito: Cognito;
    auth: AuthContext;
    /** The session a refresh continues (its refresh token's `sid`) and Cognito's refresh token presented, set by refreshSession; unset on a sign-in. */
    refreshing?: { sid: string; token: string };
    /** Set by the Worker's app: requireAuth and the gateway take a browser session with it (SESSION_MODE=browser). */
    sessionAuth?: SessionAuth;
    /** The browser session the caller authenticated with (SESSION_MODE=browser). */
    session?: BrowserSession;
    /** The session's renewed cookies, for answers not built on the context (the gateway's). */
    sessionCookies?: string[];
    /** Set when the answer is the upstream's (gateway), which we pass through unchanged. */
    forwarded?: boolean;
  };
}
