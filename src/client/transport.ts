import { ApiError } from "./api-error";
import type { ClientOptions } from "./types";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** Workers' RequestInit lacks `credentials`, which browsers need for the cookie. */
type BrowserRequestInit = RequestInit & { credentials?: "include" };

/** The client's HTTP: the Worker's URLs, JSON bodies, the bearer token, credentials in cookie delivery. */
export class Transport {
  readonly #options: ClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.#options = options;
    // A bare reference to window.fetch must not be called with another `this`.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** fetch() at a path of the Worker, as it is. */
  fetch(path: string, init: RequestInit): Promise<Response> {
    return this.#fetch(this.url(path), init);
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
    // The refresh cookie is HttpOnly: only the browser sends it, and only when asked to.
    if (this.#options.delivery === "cookie") init.credentials = "include";
    if (timeoutMs !== undefined) init.signal = AbortSignal.timeout(timeoutMs);
    try {
      return await this.#fetch(this.url(path), init);
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === "TimeoutError";
      const err = timedOut
        ? new ApiError(0, "timeout", "The server did not answer in time.")
        : new ApiError(0, "network_error", "The server could not be reached.");
      throw Object.assign(err, { cause });
    }
  }

  url(path: string): string {
    return `${(this.#options.baseUrl ?? "").replace(/\/$/, "")}${path}`;
  }
}
