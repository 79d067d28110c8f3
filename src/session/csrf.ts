import type { Context } from "hono";
import { AuthError } from "../errors";
import type { AppEnv } from "../types";

/**
 * A request that authenticates with a cookie must carry an Origin that is the
 * Worker's own or one of CORS_ORIGINS (CSRF defence). Browsers send Origin with
 * every POST and no page can set it; a request without one is refused.
 */
export function assertAllowedOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("Origin");
  const own = new URL(c.req.url).origin;
  if (!origin || (origin !== own && !c.var.config.corsOrigins.includes(origin))) {
    throw new AuthError("forbidden", "Requests that use the refresh cookie must come from an allowed origin.");
  }
}
