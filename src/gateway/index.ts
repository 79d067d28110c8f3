import type { Context, Handler } from "hono";
import { AuthError, causeOf } from "../errors";
import { authenticate } from "../middleware/require-auth";
import { hasSession } from "../session/authenticate";
import { encodePath, underPrefix } from "../request-path";
import type { AccessClaims } from "../tokens/claims";
import type { AppEnv } from "../types";
import { forwardedHeaders, identityHeaders, withoutOwnSetCookies } from "./headers";

/** On PUBLIC_PATHS a token is optional: the caller's identity when it is valid, else none. */
async function optionalIdentity(c: Context<AppEnv>): Promise<AccessClaims | undefined> {
  if (c.req.header("Authorization") === undefined && !hasSession(c)) return undefined;
  try {
    return (await authenticate(c, undefined, true)).claims;
  } catch (err) {
    if (err instanceof AuthError) return undefined;
    throw err;
  }
}

/**
 * The fall-through after the Worker's own routes: without the UPSTREAM service
 * binding, 404; with it, verifies the request and forwards it with the caller's
 * identity in X-Auth-* headers. PUBLIC_PATHS are forwarded without a token; a
 * token sent there is verified, and an invalid one is not forwarded. The
 * canonical path is what is checked and what is forwarded. `Authorization`
 * is forwarded only with GATEWAY_FORWARD_AUTHORIZATION=on; a browser session
 * (SESSION_MODE=browser) stands in for the token, and neither its token nor its
 * cookies leave the Worker. Upstream answers pass
 * through as they are, less any Set-Cookie of the Worker's cookies.
 */
export const gateway = (): Handler<AppEnv> =>
  async function gateway(c) {
    const upstream = c.env.UPSTREAM;
    if (!upstream) return c.notFound();
    const path = c.req.path;
    const headers = forwardedHeaders(c);
    const claims = c.var.config.publicPaths.some((prefix) => underPrefix(path, prefix))
      ? await optionalIdentity(c)
      : (await authenticate(c, undefined, true)).claims;
    if (claims) {
      for (const [name, value] of Object.entries(identityHeaders(claims))) headers.set(name, value);
    }
    // Never a credential we did not verify; a verified one only when asked to: in an
    // upstream's logs a bearer token is good against Cognito itself.
    if (!claims || !c.var.config.forwardAuthorization) headers.delete("Authorization");
    const url = new URL(c.req.url);
    const raw = c.req.raw;
    let res: Response;
    try {
      res = await upstream.fetch(`${url.origin}${encodePath(path)}${url.search}`, {
        method: raw.method,
        headers,
        body: raw.body,
        redirect: raw.redirect,
      });
    } catch (cause) {
      throw new AuthError("upstream_unavailable", "The upstream service is unavailable; retry later.", { cause: causeOf(cause) });
    }
    c.set("forwarded", true);
    // One copy with our header, so no later middleware has to copy the response again.
    const out = new Response(res.body, res);
    out.headers.set("X-Request-Id", c.var.requestId);
    withoutOwnSetCookies(out.headers);
    // A session renewed on the way: its new cookies, which the context's headers do not carry onto this answer.
    for (const cookie of c.var.sessionCookies ?? []) out.headers.append("Set-Cookie", cookie);
    return out;
  };
