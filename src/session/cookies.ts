import type { Context } from "hono";

/** Attributes of the cookies we set (all HttpOnly and Secure, Path=/, as __Host- requires). */
interface CookieOptions {
  sameSite: "Strict" | "Lax";
  maxAge: number;
}

/** Reads one cookie from the request; undefined when absent or empty. */
export function readCookie(c: Context, name: string): string | undefined {
  const header = c.req.header("Cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** A Set-Cookie value with our attributes; a maxAge of 0 expires the cookie. */
export const cookieString = (name: string, value: string, options: CookieOptions): string =>
  `${name}=${value}; Max-Age=${Math.max(0, Math.floor(options.maxAge))}; Path=/; HttpOnly; Secure; SameSite=${options.sameSite}`;

/** Appends a Set-Cookie header; a maxAge of 0 expires the cookie. */
export function writeCookie(c: Context, name: string, value: string, options: CookieOptions): void {
  c.header("Set-Cookie", cookieString(name, value, options), { append: true });
}
