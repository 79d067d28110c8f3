import type { MiddlewareHandler } from "hono";
import { AuthError } from "../errors";
import { underPrefix } from "../request-path";
import { OWN_PREFIXES } from "../routes";
import type { AppEnv } from "../types";

/** The routes that act with the refresh cookie or the Worker's IAM credentials. */
const AUTH_PREFIXES = ["/auth", "/admin"];

/**
 * With AUTH_HOST, the Worker's routes and the gateway live on different hosts:
 * /auth and /admin answer only on AUTH_HOST, and nothing is forwarded there, so
 * no upstream page shares an origin with the refresh cookie (a `__Host-` cookie
 * is bound to its host). Elsewhere /auth and /admin are 404, the rest as
 * without AUTH_HOST. /health and the static assets answer on every host.
 */
export const authHostOnly = (): MiddlewareHandler<AppEnv> =>
  async function authHostOnly(c, next) {
    const authHost = c.var.config.authHost;
    if (authHost === undefined) return next();
    const path = c.req.path;
    const refused =
      new URL(c.req.url).host === authHost
        ? !OWN_PREFIXES.some((prefix) => underPrefix(path, prefix))
        : AUTH_PREFIXES.some((prefix) => underPrefix(path, prefix));
    if (refused) throw new AuthError("not_found");
    await next();
  };
