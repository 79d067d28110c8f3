/**
 * Library entry (`cognito-edge/verifier`): token verification and the
 * requireAuth middleware for another Hono app on Workers, without the routes.
 * The app's env must carry the variables of docs/API.md (AWS_REGION,
 * COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, ...; see VerifierBindings);
 * REVOCATIONS is honoured if bound. Errors render themselves (getResponse()),
 * so the app needs no onError.
 */
export { type Config, ConfigError, configFor, parseConfig, verifierFor } from "./config";
export { AuthError, type ErrorCode, problem } from "./errors";
export { authenticate, requireAuth, type RequireAuthOptions } from "./middleware/require-auth";
export type { AccessClaims } from "./tokens/claims";
export { createVerifier, type Verifier } from "./tokens/verifier";
export type { AppEnv, AuthContext, VerifierBindings, VerifierEnv, VerifyResult } from "./types";
