import type { MiddlewareHandler } from "hono";
import { AuthError } from "../errors";
import { assertionSignerFor } from "../gateway/assertion";
import type { AppEnv } from "../types";

export { JWKS_PATH } from "../own-paths";
/**
 * How long a verifier or cache may keep the JWKS: a next key must be published
 * at least this long before it signs (docs/API.md, *Key rotation*).
 */
export const JWKS_MAX_AGE_S = 300;

/**
 * GET /.well-known/jwks.json: the public keys of the gateway's assertions,
 * current then next, on every host. Without GATEWAY_SIGNING_KEY and the rest,
 * the path is not the Worker's: it goes on (to the gateway) as before. With
 * them configured badly, 500 like the gateway.
 */
export const jwks = (): MiddlewareHandler<AppEnv> =>
  async function jwks(c, next) {
    const signer = assertionSignerFor(c.env);
    if (!signer) return next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD") throw new AuthError("not_found");
    await signer.ready();
    return c.body(signer.settings.jwks, 200, { "Content-Type": "application/json", "Cache-Control": `public, max-age=${JWKS_MAX_AGE_S}` });
  };
