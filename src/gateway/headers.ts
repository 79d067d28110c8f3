import type { Context } from "hono";
import { AuthError } from "../errors";
import { DEVICE_COOKIE } from "../limits/device";
import { STATE_COOKIE } from "../oauth/state-cookie";
import { SESSION_COOKIE } from "../session/browser-cookie";
import { REFRESH_COOKIE } from "../session/refresh-cookie";
import type { AccessClaims } from "../tokens/claims";
import type { AppEnv } from "../types";

/** The Worker's cookies, lower-cased: browser session, refresh token, OAuth state, remembered device. */
const OWN_COOKIES = [SESSION_COOKIE, REFRESH_COOKIE, STATE_COOKIE, DEVICE_COOKIE].map((name) => name.toLowerCase());

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

/**
 * The names a Set-Cookie may give a browser: the name before the first `=` of
 * its name-value pair (trimmed, as RFC 6265 §5.2 parses it), every
 * comma-separated piece of that name (for servers that split joined cookies at
 * `,`), and for a pair without `=` the whole of it (a nameless cookie whose
 * value a server may read as a name).
 */
function cookieNames(setCookie: string): string[] {
  const pair = setCookie.split(";", 1)[0];
  const eq = pair.indexOf("=");
  const name = eq === -1 ? pair : pair.slice(0, eq);
  return [name, ...name.split(",")].map((piece) => piece.trim().toLowerCase());
}

/**
 * The upstream's answer headers without any Set-Cookie that names a cookie of
 * the Worker: an upstream must not plant a refresh cookie of the attacker's
 * session (login CSRF) or fix the device id. Other cookies are kept.
 */
export function withoutOwnSetCookies(headers: Headers): void {
  const cookies = headers.getSetCookie();
  const kept = cookies.filter((cookie) => !cookieNames(cookie).some((name) => OWN_COOKIES.includes(name)));
  if (kept.length === cookies.length) return;
  headers.delete("Set-Cookie");
  for (const cookie of kept) headers.append("Set-Cookie", cookie);
}

/** RFC 9110 §7.6.1: meant for the hop to us only. Upgrades (WebSocket) are not forwarded. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];
/**
 * Headers in any spelling a server might read (`X_Auth_Sub`; CGI-style servers
 * read `_` as `-`): our identity headers; client-made proxy headers; those
 * that make an upstream run another method than the rule was matched for
 * (X-HTTP-Method-Override and kin) or another path (X-Original-URL,
 * X-Rewrite-URL: IIS, Symfony < 5); and client-IP headers a proxy would set
 * (X-Real-IP, True-Client-IP, X-Client-IP). CF-Connecting-IP, which
 * Cloudflare sets, is forwarded as the client's address.
 */
const SPOOFABLE =
  /^(x[-_]auth[-_]|x[-_]forwarded[-_]|forwarded$|x[-_](http[-_])?method([-_]override)?$|x[-_]original[-_]ur[il]$|x[-_]rewrite[-_]url$|x[-_]real[-_]ip$|true[-_]client[-_]ip$|x[-_]client[-_]ip$)/;

/**
 * What a header value cannot carry as it is (Fetch: no NUL, CR or LF; leading
 * and trailing whitespace is dropped; a lone surrogate is not UTF-8). Cognito
 * issues no such claim.
 */
const UNFORWARDABLE = /[\0\r\n]|^[\t ]|[\t ]$|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A client-credentials token (machine to machine): no `username`, and the app client is its subject. */
export const isClientToken = (claims: AccessClaims): boolean => claims.raw.username === undefined && claims.sub === claims.clientId;

/**
 * The X-Auth-* headers of a verified token; a token whose identity a header would alter is refused, not forwarded as someone else.
 * A client's has no X-Auth-Username: its id must never pass for a user's name.
 */
export function identityHeaders(claims: AccessClaims): Record<string, string> {
  const client = isClientToken(claims);
  const identity: Record<string, string> = {
    "X-Auth-Kind": client ? "client" : "user",
    "X-Auth-Sub": claims.sub,
    ...(client ? {} : { "X-Auth-Username": claims.username }),
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
export function forwardedHeaders(c: Context<AppEnv>): Headers {
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
