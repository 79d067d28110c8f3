import type { Context, MiddlewareHandler } from "hono";
import { AuthError } from "../errors";
import { gatewayOn } from "../gateway/setup";
import type { AppEnv } from "../types";

/**
 * A request that authenticates with a cookie must carry an Origin that the
 * cookie may be used from (CSRF defence). Browsers send Origin with every POST
 * and no page can set it; a request without one is refused.
 *
 * CORS_ORIGINS may. The Worker's own origin may too, unless the gateway
 * forwards (UPSTREAM bound or GATEWAY_RULES set): then pages of an upstream
 * can be served on it, and a script of theirs could run
 * fetch('/auth/refresh', { method: 'POST' }) with the cookie. So then only
 * CORS_ORIGINS may, and an origin the gateway serves (the own one without
 * AUTH_HOST) never, even when listed.
 */
export function assertAllowedOrigin(c: Context<AppEnv>, forwarded = false): void {
  const origin = c.req.header("Origin");
  const own = new URL(c.req.url).origin;
  const { corsOrigins, authHost } = c.var.config;
  // A request the gateway forwards (`forwarded`) goes to the upstream's own pages: the upstream's origin may send it.
  const allowed =
    gatewayOn(c.env) && !forwarded
      ? origin !== undefined && corsOrigins.includes(origin) && (origin !== own || authHost !== undefined)
      : origin !== undefined && (origin === own || corsOrigins.includes(origin));
  if (!allowed) {
    throw new AuthError("forbidden", "Requests that use the Worker's cookies must come from an allowed origin.");
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * SESSION_MODE=browser: an unsafe request to /auth/* that a page of another
 * site sends (an Origin that may not use the Worker's cookies, or, without
 * Origin, `Sec-Fetch-Site: cross-site`) is refused before anything else runs.
 * A sign-in's answer sets the session's cookies, so a page of another site must
 * not be able to sign the visitor in to an account of its choosing (login
 * CSRF); refused here, it never reaches Cognito either.
 */
export const browserOriginOnly = (): MiddlewareHandler<AppEnv> =>
  async function browserOriginOnly(c, next) {
    if (c.var.config.sessionMode === "browser" && !SAFE_METHODS.has(c.req.method)) {
      if (c.req.header("Origin") !== undefined) assertAllowedOrigin(c);
      else if (c.req.header("Sec-Fetch-Site") === "cross-site") throw new AuthError("forbidden", "Requests from another site may not sign in.");
    }
    await next();
  };
