import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AuthError } from "../errors";
import type { AppEnv } from "../types";
import { CLOCK_TOLERANCE_S } from "../tokens/verify";
import { REALM } from "./require-auth";

/**
 * RFC 9470 step-up: throws 401 `reauthentication_required` unless the caller
 * signed in at most REAUTH_MAX_AGE_S seconds ago. `auth_time` is the sign-in's
 * time, which Cognito keeps across refreshes, so a stolen or refreshed token
 * is not "fresh"; a token without `auth_time` never is. A browser session
 * keeps its sign-in's time across the Worker's refreshes: that one counts.
 * Call after requireAuth.
 */
export function assertRecentSignIn(c: Context<AppEnv>): void {
  const maxAge = c.var.config.reauthMaxAgeS;
  const { iat } = c.var.auth.claims;
  const authTime = c.var.session ? c.var.session.authTime : c.var.auth.claims.authTime;
  const age = authTime === undefined ? Infinity : Date.now() / 1000 - authTime;
  // A sign-in after the token was issued, or in the future, is not a sign-in: never fresh.
  if (authTime !== undefined && authTime <= iat && age >= -CLOCK_TOLERANCE_S && age <= maxAge) return;
  throw new AuthError("reauthentication_required", {
    headers: {
      "WWW-Authenticate": `Bearer realm="${REALM}", error="insufficient_user_authentication", max_age=${maxAge}`,
    },
    cause: { reason: authTime === undefined ? "no auth_time" : "sign-in too old" },
  });
}

/** Middleware form of assertRecentSignIn, for routes that are sensitive as a whole. */
export const requireRecentSignIn = () =>
  createMiddleware<AppEnv>(async function requireRecentSignIn(c, next) {
    assertRecentSignIn(c);
    await next();
  });
