import { ApiError } from "./api-error";
import type { ClientOptions } from "./types";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** The page's URL in a browser; undefined in Workers and Node, which have no `location`. */
const pageUrl = (): string | undefined => (globalThis as { location?: { href?: string } }).location?.href;
/** Workers' RequestInit lacks `credentials`, which browsers need for the cookie. */
type BrowserRequestInit = RequestInit & { credentials?: "include" };

/** The client's HTTP: the Worker's URLs, JSON bodies, the bearer token, credentials in cookie and session delivery. */
export class Transport {
  readonly #options: ClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.#options = options;
    // A bare reference to window.fetch must not be called with another `this`.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** fetch() at a URL of the Worker (from `url`), as it is. */
  fetch(url: URL, init: RequestInit): Promise<Response> {
    return this.#fetch(url, init);
  }

  /**
   * One request; a lost network is ApiError `network_error` and no answer
   * within `timeoutMs` is `timeout` (both status 0).
   */
  async send(method: Method, path: string, body: unknown, token: string | undefined, timeoutMs?: number): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    const init: BrowserRequestInit = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    // The refresh and session cookies are HttpOnly: only the browser sends them, and only when asked to.
    if (this.#options.delivery !== "body") init.credentials = "include";
    if (timeoutMs !== undefined) init.signal = AbortSignal.timeout(timeoutMs);
    const url = this.url(path);
    try {
      return await this.#fetch(url, init);
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === "TimeoutError";
      const err = timedOut
        ? new ApiError(0, "timeout", "The server did not answer in time.")
        : new ApiError(0, "network_error", "The server could not be reached.");
      throw Object.assign(err, { cause });
    }
  }

  /**
   * The URL of `path` on the Worker: resolved against `baseUrl`, else against
   * the page the client runs in, as a browser resolves it. Throws TypeError,
   * before any request, when it leads to another origin (`//evil.example`,
   * `\\evil.example`, `https://evil.example`, a downgrade to http): the bearer
   * token is sent to the Worker and nowhere else.
   */
  url(path: string): URL {
    const base = this.#options.baseUrl || pageUrl();
    if (!base) throw new TypeError("The client needs a baseUrl outside a browser page.");
    const origin = new URL(base).origin;
    const url = new URL(path, base);
    if (url.origin !== origin || !/^https?:$/.test(url.protocol)) throw new TypeError("The path leads off the Worker's origin.");
    return url;
  }
}
