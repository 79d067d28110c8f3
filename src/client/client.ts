import type {
  AuthFactors,
  ChallengeAnswer,
  CodeSent,
  Confirmed,
  ConfirmedSession,
  ConfirmedSignedIn,
  Health,
  MfaSetupChallenge,
  PasswordReset,
  Profile,
  Registered,
  TotpSetup,
  UpdatedProfile,
} from "../answers";
import type { Challenge } from "../schemas";
import { adminApi } from "./admin";
import { ApiError, codeOf } from "./api-error";
import { Credentials, type SignInAnswer } from "./credentials";
import { identityOf, sameIdentity } from "./identity";
import { passkeyApi } from "./passkeys";
import { sessionApi } from "./sessions";
import { type Method, Transport } from "./transport";
import type { ChallengeResponse, ClientOptions, Identity, Input, SessionUser, SignedOutReason, SignInResult } from "./types";

interface CallOptions {
  body?: unknown;
  /** Sends the access token (or the session); refreshes on `token_expired` and re-authenticates on `reauthentication_required`, then retries once. */
  auth?: boolean;
}

/**
 * A client of the cognito-edge Worker for browsers, Workers and Node. In
 * `session` delivery (SESSION_MODE=browser) it holds no token: the Worker's
 * HttpOnly cookies are the session. Otherwise it keeps
 * the access token in memory and the refresh token where the delivery mode
 * says: in the HttpOnly cookie (`cookie`, browsers: page JavaScript never sees
 * it) or in the app's `storage` (`body`). Concurrent calls that meet an expired
 * access token share one refresh. Only a refresh token the Worker refuses (401
 * `invalid_refresh_token`) ends the session; a refresh that meets throttling,
 * an outage, a timeout or a lost network is tried again (`refreshRetry`), and
 * if it still fails, the call fails and the session is kept.
 */
export class CognitoEdgeClient {
  readonly #options: ClientOptions;
  readonly #http: Transport;
  readonly #held: Credentials;
  #identity?: Identity;
  #pending?: { identity: Identity; challenge: Challenge; session: string };
  /** The last registration's session: verifyEmail sends it, and the confirmation signs the user in. */
  #registration?: { identity: Identity; session: string };
  #reauthenticating?: Promise<void>;

  constructor(options: ClientOptions) {
    if (options.delivery === "body" && !options.storage) throw new Error("body delivery needs a storage for the refresh token");
    this.#options = options;
    this.#http = new Transport(options);
    this.#held = new Credentials(options, this.#http, (reason) => this.#signOut(reason));
  }

  /** The current access token, for calls to your own APIs (or use `fetch`); always undefined in session delivery. */
  get accessToken(): string | undefined {
    return this.#held.tokens?.accessToken;
  }

  get idToken(): string | undefined {
    return this.#held.tokens?.idToken;
  }

  get signedIn(): boolean {
    return this.#held.signedIn;
  }

  /** Session delivery: the signed-in user as the sign-in answered it (or GET /auth/me after `restore`). */
  get user(): SessionUser | undefined {
    return this.#held.user;
  }

  // Sign-up and sign-in

  /** Registers (without `password`: a passwordless account); keeps the answer's session for verifyEmail. */
  async register(body: Input<"RegisterBody">): Promise<Registered> {
    const registered = await this.#json<Registered>("POST", "/auth/register", { body });
    this.#registration = registered.session ? { identity: identityOf(body), session: registered.session } : undefined;
    return registered;
  }

  /** Confirms the email address or phone number; right after register, this also signs the user in (`signedIn`). */
  async verifyEmail(body: Input<"VerifyBody">): Promise<Confirmed & { signedIn: boolean }> {
    const identity = identityOf(body);
    const registration = sameIdentity(this.#registration?.identity, identity) ? this.#registration : undefined;
    const answer = await this.#json<Confirmed | ConfirmedSignedIn | ConfirmedSession>("POST", "/auth/verify", {
      body: { ...body, session: body.session ?? registration?.session },
    });
    this.#registration = undefined;
    if (!("accessToken" in answer) && !("sub" in answer)) return { confirmed: true, signedIn: false };
    this.#identity = identity;
    const { confirmed: _, ...signedIn } = answer;
    await this.#held.accept(signedIn);
    return { confirmed: true, signedIn: true };
  }

  /** Sends the confirmation code again, to an email address (a string) or an `{ email }` or `{ phone }`. */
  resendCode = async (who: string | Input<"IdentityBody">) =>
    void (await this.#call("POST", "/auth/resend-code", { body: typeof who === "string" ? { email: who } : who }));

  /**
   * Signs in: with a password, or by a `method` (email_otp, sms_otp, passkey), or
   * without either to be offered the account's methods. The answer is `signedIn`,
   * or a challenge to answer with `answerChallenge`.
   */
  async login(body: Input<"LoginBody">): Promise<SignInResult> {
    const res = await this.#call("POST", "/auth/login", { body });
    return this.#signIn(identityOf(body), await res.json());
  }

  /** Answers the pending challenge: a `code`, a `newPassword`, a `method` (and `password`) to choose, or a passkey's `credential`. */
  async answerChallenge(answer: ChallengeResponse): Promise<SignInResult> {
    const pending = this.#pending;
    if (!pending) throw new ApiError(401, "invalid_session", "There is no sign-in to continue; sign in again.");
    const { identity, challenge, session } = pending;
    try {
      const res = await this.#call("POST", "/auth/challenge", { body: { ...identity, challenge, session, ...answer } });
      return this.#signIn(identity, await res.json());
    } catch (err) {
      if (err instanceof ApiError && err.code === "invalid_session") this.#pending = undefined;
      throw err;
    }
  }

  /**
   * On page load: signs in from the refresh token (cookie or storage) if there
   * is one; in session delivery, asks GET /auth/me whether the session cookie
   * is live. False when there is none or it is refused. Throttling, an outage or
   * a lost network that outlast the retries throw: the session may still be good.
   */
  async restore(): Promise<boolean> {
    try {
      if (this.#held.session) {
        const profile = await this.#json<Profile>("GET", "/auth/me", { auth: true });
        const phone = profile.attributes.phone_number;
        this.#held.noteSession({ sub: profile.sub, email: profile.email, phone, name: profile.name, groups: profile.groups });
        return true;
      }
      await this.#held.refresh(false);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) return false;
      throw err;
    }
  }

  /** Ends this session, or every session of the user with `global`. */
  async logout(options: { global?: boolean } = {}): Promise<void> {
    const refreshToken = this.#options.delivery === "body" ? ((await this.#options.storage?.get()) ?? undefined) : undefined;
    await this.#call("POST", "/auth/logout", { auth: true, body: { refreshToken, global: options.global || undefined } });
    await this.#signOut("logout");
  }

  // Passwords

  forgotPassword = async (email: string) => void (await this.#call("POST", "/auth/forgot-password", { body: { email } }));
  resetPassword = (body: Input<"ResetPasswordBody">) => this.#json<PasswordReset>("POST", "/auth/reset-password", { body });

  /** Every session ends and the caller is signed in again: `signedIn`, a challenge, or `signedOut` (sign in yourself). */
  async changePassword(body: Input<"ChangePasswordBody">): Promise<SignInResult | { status: "signedOut" }> {
    const identity = this.#identity;
    const res = await this.#call("POST", "/auth/change-password", { auth: true, body });
    if (res.status === 204 || !identity) {
      await this.#signOut("password_changed");
      return { status: "signedOut" };
    }
    return this.#signIn(identity, await res.json());
  }

  // Profile and TOTP

  me = () => this.#json<Profile>("GET", "/auth/me", { auth: true });
  updateMe = (attributes: Record<string, string>) => this.#json<UpdatedProfile>("PATCH", "/auth/me", { auth: true, body: { attributes } });
  verifyAttribute = async (body: Input<"VerifyAttributeBody">) => void (await this.#call("POST", "/auth/me/verify-attribute", { auth: true, body }));
  /** A new code for an email address or phone number awaiting verify-attribute. */
  sendAttributeCode = (attribute: Input<"AttributeCodeBody">["attribute"]) =>
    this.#json<CodeSent>("POST", "/auth/me/attribute-code", { auth: true, body: { attribute } });

  async deleteAccount(): Promise<void> {
    await this.#call("DELETE", "/auth/me", { auth: true });
    await this.#signOut("account_deleted");
  }

  setUpTotp = () => this.#json<TotpSetup>("POST", "/auth/mfa/totp/setup", { auth: true });
  verifyTotp = async (body: Input<"TotpVerifyBody">) => void (await this.#call("POST", "/auth/mfa/totp/verify", { auth: true, body }));
  deleteTotp = async () => void (await this.#call("DELETE", "/auth/mfa/totp", { auth: true }));
  factors = () => this.#json<AuthFactors>("GET", "/auth/me/factors", { auth: true });

  health = () => this.#json<Health>("GET", "/health");

  readonly #bearerJson = <T>(method: Method, path: string, body?: unknown) => this.#json<T>(method, path, { auth: true, body });
  readonly #bearerDone = async (method: Method, path: string, body?: unknown) => void (await this.#call(method, path, { auth: true, body }));
  /** Passkeys: registration around navigator.credentials.create (start, then complete with its toJSON()), list, delete. */
  readonly passkeys = passkeyApi(this.#bearerJson, this.#bearerDone);
  /** The user's sessions: list (which one is this client's: `current`), end one by id. */
  readonly sessions = sessionApi(this.#bearerJson, this.#bearerDone);
  /** User administration (members of ADMIN_GROUP). */
  readonly admin = adminApi(this.#bearerJson, this.#bearerDone);

  /**
   * fetch() for your own APIs behind the Worker's gateway: adds the access
   * token, refreshes once on `token_expired` and retries. The body must be
   * one that can be sent twice (not a stream). In session delivery: sent with
   * credentials, no token (the Worker refreshes the session itself).
   */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    // Refused before the token is even looked up: a foreign URL gets nothing.
    const url = this.#http.url(path);
    if (this.#held.session) return this.#http.fetch(url, { ...init, credentials: "include" } as RequestInit);
    let refreshed = false;
    for (;;) {
      const token = (await this.#held.current()) ?? "";
      const headers = new Headers(init.headers);
      headers.set("Authorization", `Bearer ${token}`);
      const res = await this.#http.fetch(url, { ...init, headers });
      if (res.status !== 401 || refreshed || (await codeOf(res)) !== "token_expired") return res;
      refreshed = true;
      await this.#held.refreshAfter(token);
    }
  }

  async #json<T>(method: Method, path: string, options: CallOptions = {}): Promise<T> {
    return (await (await this.#call(method, path, options)).json()) as T;
  }

  /** One call; on failure throws ApiError, after at most one refresh and one re-authentication. */
  async #call(method: Method, path: string, options: CallOptions): Promise<Response> {
    let refreshed = false;
    let reauthenticated = false;
    for (;;) {
      const token = options.auth ? await this.#held.current() : undefined;
      // Session delivery: the cookie authenticates, and the Worker refreshes it; no token is sent or kept.
      const authed = token !== undefined || (options.auth === true && this.#held.session);
      const res = await this.#http.send(method, path, options.body, token);
      if (res.ok) return res;
      const err = await ApiError.from(res);
      if (token && err.code === "token_expired" && !refreshed) {
        refreshed = true;
        await this.#held.refreshAfter(token);
        continue;
      }
      if (authed && err.code === "reauthentication_required" && !reauthenticated && this.#options.reauthenticate) {
        reauthenticated = true;
        await this.#reauthenticate(err);
        continue;
      }
      // The Worker no longer takes the session (ended elsewhere, revoked, its refresh refused) and has expired its cookies.
      if (authed && !token && err.code === "unauthorized" && this.#held.signedIn) await this.#signOut("session_ended");
      throw err;
    }
  }

  async #reauthenticate(err: ApiError): Promise<void> {
    this.#reauthenticating ??= (async () => {
      try {
        await this.#options.reauthenticate?.({ ...this.#identity, error: err });
      } finally {
        this.#reauthenticating = undefined;
      }
    })();
    return this.#reauthenticating;
  }

  async #signIn(identity: Identity, answer: SignInAnswer | ChallengeAnswer | MfaSetupChallenge): Promise<SignInResult> {
    if (!("challenge" in answer)) {
      this.#pending = undefined;
      this.#identity = identity;
      await this.#held.accept(answer);
      return { status: "signedIn" };
    }
    this.#pending = { identity, challenge: answer.challenge, session: answer.session };
    const { session: _, ...rest } = answer;
    return { status: "challenge", ...rest };
  }

  async #signOut(reason: SignedOutReason): Promise<void> {
    this.#pending = undefined;
    await this.#held.clear();
    this.#options.onSignedOut?.(reason);
  }
}
