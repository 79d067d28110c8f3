import type { Context } from "hono";

/** Attributes of the cookies we set (all HttpOnly and Secure, Path=/, as __Host- requires). */
interface CookieOptions {
  sameSite: "Strict" | "Lax";
  maxAge: number;
}

/** SP and HTAB around a cookie's name or value, the only whitespace RFC 6265 §5.2 strips; not `trim()`'s U+00A0, U+FEFF and the like. */
const strip = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, "");

/**
 * A name as a careless reader would see it: without any whitespace, format or
 * control character, in lower case (RFC 6265bis matches the `__Host-` prefix
 * case-insensitively). A browser takes `\u00a0__Host-x` for a cookie without
 * the prefix, which a sibling host may set with `Domain`; a reader that trims
 * more than SP and HTAB would take it for ours.
 */
const looseName = (s: string): string => s.replace(/[\s\p{Cc}\p{Cf}]/gu, "").toLowerCase();

/**
 * One of our cookies on the request, read once: its value, undefined when
 * absent or empty, and when the header holds more than one cookie that is, or
 * passes for, `name` (`planted`): all our cookies are `__Host-` cookies, of
 * which a browser sends exactly one of a name; a second (or a look-alike) was
 * planted by another host of the site (cookie tossing), and neither is to be
 * trusted.
 */
export function ownCookie(c: Context, name: string): { value: string | undefined; planted: boolean } {
  const found = cookiesLike(c, name);
  const planted = found.length > 1 || (found.length === 1 && found[0].name !== name);
  return { value: planted ? undefined : found[0]?.value || undefined, planted };
}

/** Reads one cookie from the request (ownCookie's value). */
export const readCookie = (c: Context, name: string): string | undefined => ownCookie(c, name).value;

/** Whether the request carries a cookie that is, or passes for, `name` (readCookie may still refuse it as ambiguous). */
export const hasCookieLike = (c: Context, name: string): boolean => cookiesLike(c, name).length > 0;

/** Whether the request carries a second cookie of `name`, or one that only passes for it: planted by another host. */
export const plantedCookie = (c: Context, name: string): boolean => ownCookie(c, name).planted;

/** The request's cookies whose name is, or passes for, `name`. */
function cookiesLike(c: Context, name: string): { name: string; value: string }[] {
  const header = c.req.header("Cookie");
  if (!header) return [];
  const loose = looseName(name);
  const found: { name: string; value: string }[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const own = strip(part.slice(0, eq));
    if (own === name || looseName(own) === loose) found.push({ name: own, value: strip(part.slice(eq + 1)) });
  }
  return found;
}

/** A Set-Cookie value with our attributes; a maxAge of 0 expires the cookie. */
export const cookieString = (name: string, value: string, options: CookieOptions): string =>
  `${name}=${value}; Max-Age=${Math.max(0, Math.floor(options.maxAge))}; Path=/; HttpOnly; Secure; SameSite=${options.sameSite}`;

/** Appends a Set-Cookie header; a maxAge of 0 expires the cookie. */
export function writeCookie(c: Context, name: string, value: string, options: CookieOptions): void {
  c.header("Set-Cookie", cookieString(name, value, options), { append: true });
}
