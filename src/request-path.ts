/**
 * The one path the Worker routes on, decides "own route or gateway" on, and
 * forwards: every segment percent-decoded once, dot segments resolved, `//`
 * collapsed. A path whose meaning would change under (further) decoding is
 * ambiguous: servers disagree about it, so a check done on one reading can be
 * bypassed through another (RFC 3986 §6.2.2, §7.3).
 */

/** What Hono routes an ambiguous path on: no route or prefix can match it (a decoded path never holds NUL). */
export const AMBIGUOUS_PATH = "/\0";

/**
 * Decoded, a segment must hold no `/`, `\`, control character, percent-escape
 * (double encoding) or `;`: servlet containers (Tomcat, Spring) cut a segment at
 * `;` as a path parameter (RFC 3986 §3.3), so `/public/..;/admin` is
 * `/public/..;` here and `/admin` there.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern refuses.
const UNSAFE_SEGMENT = /[/\\\0-\x1f\x7f;]|%[\da-f]{2}/i;

/** The canonical path of a request URL, or undefined when it is ambiguous. */
export function canonicalPath(url: string): string | undefined {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const raw = start < 0 ? "/" : url.slice(start).split(/[?#]/, 1)[0];
  const segments = raw.split("/");
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const last = i === segments.length - 1;
    let segment: string;
    try {
      segment = decodeURIComponent(segments[i]);
    } catch {
      return undefined;
    }
    if (UNSAFE_SEGMENT.test(segment)) return undefined;
    if (segment === "." || segment === "..") {
      // A literal dot segment resolves as in any URL parser; an encoded one is a trick.
      if (segment !== segments[i]) return undefined;
      if (segment === "..") out.pop();
      if (last) out.push("");
    } else if (segment !== "" || last) {
      out.push(segment);
    }
  }
  return `/${out.join("/")}`;
}

/** Hono's getPath: the canonical path, or AMBIGUOUS_PATH for the guard to refuse. */
export const routingPath = (request: Request): string => canonicalPath(request.url) ?? AMBIGUOUS_PATH;

/** A prefix matches the path itself or anything below it (`/public` does not match `/publicity`). */
export const underPrefix = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);

/** A canonical path back in URL form: only what a URL cannot carry literally is escaped. */
export const encodePath = (path: string): string => encodeURI(path).replace(/[?#]/g, encodeURIComponent);
