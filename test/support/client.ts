// A fetch for the typed client that goes through the Worker's fetch handler,
// recording every call, with a browser-like cookie jar for cookie delivery.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";
import { jar } from "./browser";
import { workerEnv } from "./worker";

export const BASE = "https://edge.example.com";

export interface Recorded {
  method: string;
  path: string;
  credentials?: string;
  body?: unknown;
  status: number;
}

export interface WorkerFetch {
  fetch: typeof fetch;
  calls: Recorded[];
  count(method: string, path: string): number;
}

/**
 * `before` runs ahead of each call (a test moves the clock there); `envOverrides`
 * configure the Worker. With `cookies`, __Host-refresh is kept and sent back
 * with the page's Origin, as a browser does. With `browser`, a page of the
 * Worker's own origin (or of `pageOrigin`, a site of its own): every cookie is
 * kept and sent on credentialed calls, every call carries `Sec-Fetch-Site` and
 * every unsafe one `Origin`.
 */
export function workerFetch(
  options: { envOverrides?: Record<string, unknown>; before?: (path: string) => void; cookies?: boolean; browser?: boolean; pageOrigin?: string } = {},
): WorkerFetch & { cookies(): string } {
  const calls: Recorded[] = [];
  let cookie: string | undefined;
  let all = "";
  const call = async (input: RequestInfo | URL, init: RequestInit & { credentials?: string } = {}) => {
    const url = new URL(String(input));
    options.before?.(url.pathname);
    // workerd's Request has no `credentials`: it is recorded, not passed on.
    const { credentials, ...rest } = init;
    const headers = new Headers(rest.headers);
    headers.set("CF-Connecting-IP", `2001:db8::${crypto.randomUUID().slice(0, 4)}`);
    if (options.cookies && cookie && credentials === "include") {
      headers.set("Cookie", cookie);
      headers.set("Origin", BASE);
    }
    if (options.browser) {
      const page = options.pageOrigin ?? BASE;
      headers.set("Sec-Fetch-Site", page === BASE ? "same-origin" : "same-site");
      if (!["GET", "HEAD"].includes(rest.method ?? "GET")) headers.set("Origin", page);
      if (all && credentials === "include") headers.set("Cookie", all);
    }
    const request = new Request(url, { ...rest, headers });
    const ctx = createExecutionContext();
    const res = await worker.fetch(request, workerEnv(options.envOverrides), ctx);
    await waitOnExecutionContext(ctx);
    if (options.browser) all = jar(res, all);
    const set = res.headers.getSetCookie().find((c) => c.startsWith("__Host-refresh="));
    if (set) cookie = /Max-Age=0/.test(set) ? undefined : set.split(";")[0];
    const body = typeof rest.body === "string" ? JSON.parse(rest.body) : undefined;
    calls.push({ method: request.method, path: url.pathname + url.search, credentials, body, status: res.status });
    return res;
  };
  return {
    fetch: call as typeof fetch,
    calls,
    count: (method, path) => calls.filter((c) => c.method === method && c.path === path).length,
    cookies: () => all,
  };
}
