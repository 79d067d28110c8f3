import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AuthError, internalError } from "../errors";
import type { AccessClaims } from "../tokens/claims";
import type { Verifier } from "../tokens/verifier";
import type { AuthContext, VerifierBindings } from "../types";
import { type VerifierOptions, verifierFor, verifierOfOptions } from "../verifier-options";

export const REALM = "cognito-edge";

/**
 * Options of requireAuth: every listed group or scope must be present. The
 * verifier is `verifier`, or one built from createVerifier's options given
 * here (`userPoolId`, `clientId`, ...); with neither, the one of the env's
 * variables (VerifierBindings).
 */
export interface RequireAuthOptions extends Partial<VerifierOptions> {
  groups?: string[];
  scopes?: string[];
  /** A verifier from createVerifier, shared by several routes (one JWKS cache for all). */
  verifier?: Verifier;
}

/** What requireAuth adds to the context: `c.var.auth`. */
export interface AuthVariables {
  Variables: { auth: AuthContext };
}

/**
 * How the Worker authenticates a request by its browser session
 * (SESSION_MODE=browser): undefined when the request carries none. The
 * Worker's app puts it on the context, so that the library's requireAuth
 * carries no session code.
 */
export type SessionAuth = (c: Context, verify: (token: string) => Promise<AccessClaims>, forwarded: boolean) => Promise<AuthContext> | undefined;

/** RFC 6750 §3: no error parameter when the request had no token at all. */
function challenge(error?: "invalid_token" | "insufficient_scope"): Record<string, string> {
  return { "WWW-Authenticate": error ? `Bearer realm="${REALM}", error="${error}"` : `Bearer realm="${REALM}"` };
}

/** Reads the bearer token of a request; undefined when there is no Authorization header. */
function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i.exec(header);
  if (!match) throw new AuthError("unauthorized", "The Authorization header is not a bearer token.", { headers: challenge("invalid_token") });
  return match[1];
}

/** Adds the RFC 6750 challenge to an access-token error (unauthorized, token_expired) that lacks one. */
export function withChallenge<E>(err: E): E | AuthError {
  if (err instanceof AuthError && (err.code === "unauthorized" || err.code === "token_expired") && !err.headers["WWW-Authenticate"]) {
    return new AuthError(err.code, err.detail, { headers: { ...err.headers, ...challenge("invalid_token") }, cause: err.cause });
  }
  return err;
}

/** The verifier of this env: built once per env (the app's own, or another app's when used as a library). */
function verifierOf(env: Partial<VerifierBindings>) {
  try {
    return verifierFor(env);
  } catch (err) {
    throw internalError(err);
  }
}

/**
 * Verifies the request's bearer token with `verifier` (default: the env's);
 * every failure is a 401 with an RFC 6750 challenge. In the Worker with
 * SESSION_MODE=browser, a request without an Authorization header may carry
 * a browser session instead, which stands in for the token (`forwarded`:
 * the gateway's request, see sessionCaller).
 */
export async function authenticate(c: Context, verifier?: Verifier, forwarded = false): Promise<AuthContext> {
  const viaSession = (c.var.sessionAuth as SessionAuth | undefined)?.(c, (token) => (verifier ?? verifierOf(c.env)).verify(token), forwarded);
  if (viaSession) return viaSession.catch((err: unknown) => Promise.reject(withChallenge(err)));
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw new AuthError("unauthorized", "An access token is required.", { headers: challenge() });
  try {
    return { token, claims: await (verifier ?? verifierOf(c.env)).verify(token) };
  } catch (err) {
    throw withChallenge(err);
  }
}

/** authenticate, then every group and scope of `options`: 403 `forbidden` when one is missing. */
export async function authorize(c: Context, options: RequireAuthOptions, verifier?: Verifier): Promise<AuthContext> {
  const auth = await authenticate(c, verifier);
  const { groups, scope } = auth.claims;
  if (options.groups?.some((g) => !groups.includes(g)) || options.scopes?.some((s) => !scope.includes(s))) {
    throw new AuthError("forbidden", "The access token lacks a required group or scope.", {
      headers: challenge("insufficient_scope"),
    });
  }
  return auth;
}

/**
 * Requires a valid Cognito access token, and optionally groups and scopes.
 * Puts `{ token, claims }` in `c.var.auth`. Verifier options are checked
 * here, once: a malformed one throws ConfigError naming it.
 */
export function requireAuth(options: RequireAuthOptions = {}) {
  const { groups, scopes, verifier: given, ...pool } = options;
  const verifier = given ?? verifierOfOptions(pool);
  return createMiddleware<AuthVariables>(async function requireAuth(c, next) {
    c.set("auth", await authorize(c, { groups, scopes }, verifier));
    await next();
  });
}
