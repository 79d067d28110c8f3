import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AuthError, causeOf } from "../errors";
import { authenticate } from "../middleware/require-auth";
import { DEVICE_COOKIE } from "../limits/device";
import { STATE_COOKIE } from "../oauth/state-cookie";
import { encodePath } from "../request-path";
import { REFRESH_COOKIE } from "../session/refresh-token";
import type { AccessClaims } from "../tokens/claims";
import type { AppEnv } from "../types";

/** Paths the Worker answers itself (tested on the canonical path); the gateway never forwards them. */
const OWN = /^\/(auth|admin|health|openapi\.json|docs)(\/|$)/;

/** True when the gateway, not the Worker, answers this request. */
const forwards = (c: Context<AppEnv>): boolean => Boolean(c.env.UPSTREAM) && !OWN.test(c.req.path);

/** A prefix matches the path itself or anything below it (`/public` does not match `/publicity`). */
const underPrefix = (path: string, prefix: string) =>
  path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);

/** The Worker's cookies, lower-cased: refresh token, OAuth state, remembered device. */
const OWN_COOKIES = [REFRESH_COOKIE, STATE_COOKIE, DEVICE_COOKIE].map((name) => name.toLowerCase());

/**
 * Removes the Worker's cookies from a Cookie header, keeping the others as they
 * were. Some servers also split cookies on `,` (RFC 2965, joined headers), so a
 * cookie of ours after a comma is removed too.
 */
function withoutOwnCookies(cookie: string): string {
  return cookie
    .split(";")
    .map((part) =>
      part
        .split(",")
        .filter((piece) => !OWN_COOKIES.includes(piece.split("=")[0].trim().toLowerCase()))
        .join(",")
        .trim(),
    )
    .filter(Boolean)
    .join("; ");
}

/** RFC 9110 §7.6.1: meant for the hop to us only. Upgrades (WebSocket) are not forwarded. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];
/** Identity headers in any spelling a server might read as ours (`X_Auth_Sub`), and client-made proxy headers. */
const SPOOFABLE = /^(x[-_]auth[-_]|x-forwarded-|forwarded$)/;

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
    throw new AuthError("unauthorized", { cause: { reason: "claims not forwardable" } });
  }
  return identity;
}

/** The inbound headers minus hop-by-hop headers and anything a client could use to spoof identity or steal our cookies. */
function forwardedHeaders(c: Context<AppEnv>): Headers {
  const headers = new Headers(c.req.raw.headers);
  const named = (headers.get("Connection") ?? "").split(",").map((name) => name.trim().toLowerCase());
  for (const name of [...headers.keys()]) {
    if (SPOOFABLE.test(name) || HOP_BY_HOP.includes(name) || named.includes(name)) headers.delete(name);
  }
  const cookie = headers.get("Cookie");
  if (cookie !== null) {
    const kept = withoutOwnCookies(cookie);
    if (kept) headers.set("Cookie", kept);
    else headers.delete("Cookie");
  }
  headers.set("X-Request-Id", c.var.requestId);
  return headers;
}

/** On PUBLIC_PATHS a token is optional: the caller's identity when it is valid, else none. */
async function optionalIdentity(c: Context<AppEnv>): Promise<AccessClaims | undefined> {
  if (c.req.header("Authorization") === undefined) return undefined;
  try {
    return (await authenticate(c)).claims;
  } catch (err) {
    if (err instanceof AuthError) return undefined;
    throw err;
  }
}

/**
 * When the UPSTREAM service binding exists, verifies and forwards every request
 * outside the Worker's own paths, with the caller's identity in X-Auth-* headers.
 * PUBLIC_PATHS are forwarded without a token; a token sent there is verified,
 * and an invalid one is not forwarded. The canonical path is what is checked and
 * what is forwarded. Upstream answers pass through as they are.
 */
export const gateway = () =>
  createMiddleware<AppEnv>(async function gateway(c, next) {
    const upstream = c.env.UPSTREAM;
    const path = c.req.path;
    if (!upstream || !forwards(c)) return next();
    const headers = forwardedHeaders(c);
    const claims = c.var.config.publicPaths.some((prefix) => underPrefix(path, prefix))
      ? await optionalIdentity(c)
      : (await authenticate(c)).claims;
    if (claims) {
      for (const [name, value] of Object.entries(identityHeaders(claims))) headers.set(name, value);
    } else {
      // Never pass on a credential we did not verify.
      headers.delete("Authorization");
    }
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
    return out;
  });
