import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AuthError } from "../errors";
import { authenticate } from "../middleware/require-auth";
import type { AccessClaims } from "../tokens/claims";
import { REFRESH_COOKIE } from "../session/refresh-token";
import type { AppEnv } from "../types";

/** Paths the Worker answers itself; the gateway never forwards them. */
const OWN = /^\/(auth|admin|health|openapi\.json|docs)(\/|$)/;

/** True when the gateway, not the Worker, answers this request. */
export const forwards = (c: Context<AppEnv>): boolean => Boolean(c.env.UPSTREAM) && !OWN.test(c.req.path);

/** A prefix matches the path itself or anything below it (`/public` does not match `/publicity`). */
const underPrefix = (path: string, prefix: string) =>
  path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);

/** Removes the refresh cookie from a Cookie header, keeping the others. */
function withoutRefreshCookie(cookie: string): string {
  return cookie
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && !part.startsWith(`${REFRESH_COOKIE}=`))
    .join("; ");
}

/**
 * What a header value cannot carry as it is (Fetch: no NUL, CR or LF; leading
 * and trailing whitespace is dropped; a lone surrogate is not UTF-8). Cognito
 * issues no such claim.
 */
const UNFORWARDABLE = /[\0\r\n]|^[\t ]|[\t ]$|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The X-Auth-* headers of a verified token; a token whose identity a header would alter is refused, not forwarded as someone else. */
function identityHeaders(claims: AccessClaims): Record<string, string> {
  const identity = {
    "X-Auth-Sub": claims.sub,
    "X-Auth-Username": claims.username,
    "X-Auth-Groups": claims.groups.join(","),
    "X-Auth-Scope": claims.scope.join(" "),
    "X-Auth-Client-Id": claims.clientId,
  };
  if (Object.values(identity).some((value) => UNFORWARDABLE.test(value))) {
    throw new AuthError("unauthorized", "The access token is not valid.", { cause: { reason: "claims not forwardable" } });
  }
  return identity;
}

/** The inbound headers minus anything a client could use to spoof identity or leak the refresh token. */
function forwardedHeaders(c: Context<AppEnv>): Headers {
  const headers = new Headers(c.req.raw.headers);
  for (const name of [...headers.keys()]) if (name.startsWith("x-auth-")) headers.delete(name);
  const cookie = headers.get("Cookie");
  if (cookie !== null) {
    const kept = withoutRefreshCookie(cookie);
    if (kept) headers.set("Cookie", kept);
    else headers.delete("Cookie");
  }
  headers.set("X-Request-Id", c.var.requestId);
  return headers;
}

/**
 * When the UPSTREAM service binding exists, verifies and forwards every request
 * outside the Worker's own paths, with the caller's identity in X-Auth-* headers.
 * PUBLIC_PATHS are forwarded without a token. Upstream answers pass through as they are.
 */
export const gateway = () =>
  createMiddleware<AppEnv>(async function gateway(c, next) {
    const upstream = c.env.UPSTREAM;
    const path = c.req.path;
    if (!upstream || !forwards(c)) return next();
    const headers = forwardedHeaders(c);
    if (!c.var.config.publicPaths.some((prefix) => underPrefix(path, prefix))) {
      const { claims } = await authenticate(c);
      for (const [name, value] of Object.entries(identityHeaders(claims))) headers.set(name, value);
    }
    let res: Response;
    try {
      res = await upstream.fetch(new Request(c.req.raw, { headers }));
    } catch (cause) {
      throw new AuthError("upstream_unavailable", "The upstream service is unavailable; retry later.", { cause });
    }
    // One copy with our header, so no later middleware has to copy the response again.
    const out = new Response(res.body, res);
    out.headers.set("X-Request-Id", c.var.requestId);
    return out;
  });
