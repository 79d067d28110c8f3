/**
 * Library entry (`cognito-edge/verifier`): token verification and the
 * requireAuth middleware for another Hono app on Workers, without the routes
 * (docs/library.md). Configured with explicit options
 * (`requireAuth({ userPoolId, clientId })`, `createVerifier(...)`), or from
 * the env's VERIFIER_VARIABLES and REVOCATIONS only: the app's other variables
 * are its own. Errors render themselves (getResponse()), so the app needs no
 * onError.
 */
export { type Config, ConfigError, configFor, parseConfig } from "./config";
export { AuthError, type ErrorCode, problem } from "./errors";
export { type AuthVariables, authenticate, requireAuth, type RequireAuthOptions } from "./middleware/require-auth";
export type { AccessClaims } from "./tokens/claims";
export type { Verifier } from "./tokens/verifier";
export { createVerifier, VERIFIER_VARIABLES, type VerifierOptions, verifierFor } from "./verifier-options";
export type { AppEnv, AuthContext, VerifierBindings, VerifierEnv, VerifyResult } from "./types";
