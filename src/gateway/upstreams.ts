import { AuthError, causeOf } from "../errors";
import { RuleError } from "./rule-syntax";

/** Where a request is forwarded: a service binding, or an https origin reached by `fetch`. */
export type Upstream = { binding: Fetcher } | { origin: string };

/** A request to forward: the canonical path (URL-encoded) and query, the stripped headers with the identity. */
export interface Forwarded {
  /** The Worker's own origin, which a service binding's request URL keeps. */
  selfOrigin: string;
  pathAndQuery: string;
  method: string;
  headers: Headers;
  body: ReadableStream | null;
  redirect: string;
}

const isFetcher = (value: unknown): value is Fetcher =>
  typeof value === "object" && value !== null && typeof (value as { fetch?: unknown }).fetch === "function";

/**
 * The upstream a rule names (`-> NAME` or `-> https://origin`): a name must be
 * a bound service (a configured but unbound one would fail every request, so
 * it is refused when the rules are read).
 */
export function resolveUpstream(target: string, env: object, line: number): Upstream {
  if (target.startsWith("https://")) return { origin: target };
  const bound = (env as Record<string, unknown>)[target];
  if (!isFetcher(bound)) throw new RuleError(line, "the upstream is not a bound service");
  return { binding: bound };
}

/**
 * Sends the request on. To an origin it goes by `fetch` with `redirect:
 * "manual"`: a redirect is the upstream's answer to the client, never one the
 * Worker follows with the caller's identity to wherever it points; and `cache:
 * "no-store"`, past Cloudflare's cache. Host is the origin's. A failure to reach the upstream is 503 `upstream_unavailable`.
 */
export async function forward(upstream: Upstream, request: Forwarded): Promise<Response> {
  try {
    if ("binding" in upstream) {
      return await upstream.binding.fetch(`${request.selfOrigin}${request.pathAndQuery}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: request.redirect,
      });
    }
    request.headers.delete("Host");
    return await fetch(`${upstream.origin}${request.pathAndQuery}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      // Never Cloudflare's edge cache: its key is the URL, not the X-Auth-* identity, so one caller's answer could serve the next.
      cache: "no-store",
    });
  } catch (cause) {
    throw new AuthError("upstream_unavailable", "The upstream service is unavailable; retry later.", { cause: causeOf(cause) });
  }
}
