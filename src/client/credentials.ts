import type { SessionAnswer, Tokens } from "../answers";
import { ApiError } from "./api-error";
import { RETRY_DEFAULTS, retrying } from "./retry";
import type { Transport } from "./transport";
import type { ClientOptions, SessionUser, SignedOutReason } from "./types";

/** A sign-in's answer: tokens (SESSION_MODE=token), or a browser session's profile (SESSION_MODE=browser). */
export type SignInAnswer = Tokens | SessionAnswer;

/**
 * What the client holds of a sign-in. `cookie` and `body` delivery: the access
 * and ID tokens in memory, refreshed once for any number of concurrent calls.
 * `session` delivery: no token at all, only what the page renders; the
 * session is in the Worker's HttpOnly cookies, and the Worker refreshes it.
 */
export class Credentials {
  readonly #options: ClientOptions;
  readonly #http: Transport;
  readonly #signOut: (reason: SignedOutReason) => Promise<void>;
  #tokens?: Omit<Tokens, "refreshToken">;
  #session?: SessionUser;
  #refreshing?: Promise<void>;

  constructor(options: ClientOptions, http: Transport, signOut: (reason: SignedOutReason) => Promise<void>) {
    this.#options = options;
    this.#http = http;
    this.#signOut = signOut;
  }

  get session(): boolean {
    return this.#options.delivery === "session";
  }

  get tokens(): Omit<Tokens, "refreshToken"> | undefined {
    return this.#tokens;
  }

  get user(): SessionUser | undefined {
    return this.#session;
  }

  get signedIn(): boolean {
    return this.#tokens !== undefined || this.#session !== undefined;
  }

  /** Keeps a sign-in's answer: the tokens, or in session delivery the profile (a tokens answer there is a misconfigured Worker). */
  async accept(answer: SignInAnswer): Promise<void> {
    if (this.session) {
      // Keeping a token here would give it back to every script of the page: refuse rather than fall back.
      if ("accessToken" in answer) throw new Error("The Worker answered tokens: session delivery needs SESSION_MODE=browser on the Worker.");
      const { expiresAt, sub, email, phone, name, groups } = answer;
      this.#session = { sub, email, phone, name, groups, expiresAt };
      return;
    }
    if (!("accessToken" in answer)) throw new Error('The Worker answered a browser session: use delivery "session" with SESSION_MODE=browser.');
    const { refreshToken, ...rest } = answer;
    this.#tokens = rest;
    // Cookie delivery: even if the Worker also put it in the body, it is not kept.
    if (this.#options.delivery === "body" && refreshToken) await this.#options.storage?.set(refreshToken);
  }

  /** Session delivery: the session is live (GET /auth/me answered); what the profile says is what the client knows. */
  noteSession(user: SessionUser): void {
    this.#session = user;
  }

  /** The access token for a call; undefined in session delivery, where the cookie stands in for it. */
  async current(): Promise<string | undefined> {
    if (this.session) return undefined;
    if (!this.#tokens && this.#refreshing) await this.#refreshing;
    if (!this.#tokens) throw new ApiError(401, "not_signed_in", "Sign in first.");
    return this.#tokens.accessToken;
  }

  /** Refreshes unless another call already replaced `used`; concurrent callers share one refresh. */
  async refreshAfter(used: string): Promise<void> {
    if (this.#tokens && this.#tokens.accessToken !== used) return;
    await this.refresh(true);
  }

  refresh(signOutOnFailure: boolean): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        await this.accept(await retrying(() => this.#refreshOnce(), this.#options.refreshRetry));
      } catch (err) {
        // Only a refused refresh token ends the session: after throttling, an outage or a lost network the next call may succeed.
        if (signOutOnFailure && err instanceof ApiError && err.code === "invalid_refresh_token") await this.#signOut("refresh_failed");
        throw err;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** One POST /auth/refresh, with the refresh token stored now (another tab may have replaced it). */
  async #refreshOnce(): Promise<Tokens> {
    const refreshToken = this.#options.delivery === "body" ? await this.#options.storage?.get() : undefined;
    const timeoutMs = this.#options.refreshRetry?.timeoutMs ?? RETRY_DEFAULTS.timeoutMs;
    const res = await this.#http.send("POST", "/auth/refresh", refreshToken ? { refreshToken } : {}, undefined, timeoutMs);
    if (!res.ok) throw await ApiError.from(res);
    return (await res.json()) as Tokens;
  }

  /** Forgets the sign-in: tokens, the stored refresh token (body delivery), the session's profile. */
  async clear(): Promise<void> {
    this.#tokens = undefined;
    this.#session = undefined;
    if (this.#options.delivery === "body") await this.#options.storage?.set(null);
  }
}
