import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { configFor } from "../config";
import { AuthError, internalError } from "../errors";
import { verifyAccessToken } from "../tokens/verify";
import type { AppEnv, AuthContext } from "../types";

export const REALM = "cognito-edge";

/** Options of requireAuth: every listed group or scope must be present. */
export interface RequireAuthOptions {
  groups?: string[];
  scopes?: string[];
}

/** RFC 6750 §3: no error parameter when the request had no token at all. */
function challenge(error?: "invalid_token" | "insufficient_scope"): Record<string, string> {
  return { "WWW-Authenticate": error ? `Bearer realm="${REALM}", error="${error}"` : `Bearer realm="${REALM}"` };
}

/** Reads the bearer token of a request; undefined when there is no Authorization header. */
export function bearerToken(header: string | undefined): string | undefined {
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

/** The app's parsed config, or (when used as a library in another app) one parsed from its env. */
function configOf(c: Context<AppEnv>) {
  if (c.var.config) return c.var.config;
  try {
    return configFor(c.env);
  } catch (err) {
    throw internalError(err);
  }
}

/** Verifies the request's bearer token; every failure is a 401 with an RFC 6750 challenge. */
export async function authenticate(c: Context<AppEnv>): Promise<AuthContext> {
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw new AuthError("unauthorized", "An access token is required.", { headers: challenge() });
  try {
    return { token, claims: await verifyAccessToken(configOf(c), token, c.env.REVOCATIONS) };
  } catch (err) {
    throw withChallenge(err);
  }
}

/**
 * Requires a valid Cognito access token, and optionally groups and scopes.
 * Puts `{ token, claims }` in `c.var.auth`.
 */
export function requireAuth(options: RequireAuthOptions = {}) {
  const groups = options.groups ?? [];
  const scopes = options.scopes ?? [];
  return createMiddleware<AppEnv>(async function requireAuth(c, next) {
    const { token, claims } = await authenticate(c);
    const missing = groups.some((g) => !claims.groups.includes(g)) || scopes.some((s) => !claims.scope.includes(s));
    if (missing) {
      throw new AuthError("forbidden", "The access token lacks a required group or scope.", {
        headers: challenge("insufficient_scope"),
      });
    }
    c.set("auth", { token, claims });
    await next();
  });
}
