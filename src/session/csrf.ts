import type { Context } from "hono";
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
