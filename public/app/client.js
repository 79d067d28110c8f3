// cognito-edge/client, generated from src/client by `npm run public`: do not edit.
// src/client/api-error.ts
var ApiError = class _ApiError extends Error {
  status;
  code;
  /** The Worker's sentence for humans; may change, never parse it. */
  detail;
  /** Field-level problems of a `validation_failed`. */
  errors;
  /** Seconds, from Retry-After (429, 503). */
  retryAfter;
  requestId;
  constructor(status, code, detail, extra = {}) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = extra.errors ?? [];
    this.retryAfter = extra.retryAfter;
    this.requestId = extra.requestId;
  }
  /** Reads a failed answer; anything that is not our problem+json is `unexpected_answer`. */
  static async from(res) {
    const retry = Number(res.headers.get("Retry-After"));
    const extra = {
      retryAfter: Number.isFinite(retry) && retry >= 0 && res.headers.has("Retry-After") ? retry : void 0,
      requestId: res.headers.get("X-Request-Id") ?? void 0
    };
    const type = res.headers.get("Content-Type") ?? "";
    if (type.startsWith("application/problem+json")) {
      const body = await res.json().catch(() => void 0);
      if (body?.code) return new _ApiError(res.status, body.code, body.detail ?? "", { ...extra, errors: body.errors });
    }
    return new _ApiError(res.status, "unexpected_answer", `The server answered ${res.status}.`, extra);
  }
};
async function codeOf(res) {
  if (!(res.headers.get("Content-Type") ?? "").startsWith("application/problem+json")) return void 0;
  const body = await res.clone().json().catch(() => void 0);
  return body?.code;
}

// src/client/admin.ts
var segment = encodeURIComponent;
function adminApi(json, done) {
  return {
    listUsers: (query = {}) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== void 0) params.set(key, String(value));
      const search = params.toString() ? `?${params}` : "";
      return json("GET", `/admin/users${search}`);
    },
    getUser: (username) => json("GET", `/admin/users/${segment(username)}`),
    createUser: (body) => json("POST", "/admin/users", body),
    disableUser: (username) => done("POST", `/admin/users/${segment(username)}/disable`),
    enableUser: (username) => done("POST", `/admin/users/${segment(username)}/enable`),
    signOutUser: (username) => done("POST", `/admin/users/${segment(username)}/sign-out`),
    deleteUser: (username) => done("DELETE", `/admin/users/${segment(username)}`),
    addToGroup: (username, group) => done("PUT", `/admin/users/${segment(username)}/groups/${segment(group)}`),
    removeFromGroup: (username, group) => done("DELETE", `/admin/users/${segment(username)}/groups/${segment(group)}`)
  };
}

// src/client/retry.ts
var RETRY_DEFAULTS = { tries: 4, maxWaitS: 60, timeoutMs: 1e4 };
var TRANSIENT = /* @__PURE__ */ new Set([0, 429, 502, 503, 504]);
var isTransient = (err) => err instanceof ApiError && TRANSIENT.has(err.status);
var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function retrying(attempt, options = {}) {
  const { tries, maxWaitS } = { ...RETRY_DEFAULTS, ...options };
  let waitedS = 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err) || n >= tries) throw err;
      const waitS = err.retryAfter ?? 2 ** (n - 1);
      if (waitedS + waitS > maxWaitS) throw err;
      waitedS += waitS;
      await sleep(waitS * 1e3);
    }
  }
}

// src/client/credentials.ts
var Credentials = class {
  #options;
  #http;
  #signOut;
  #tokens;
  #session;
  #refreshing;
  constructor(options, http, signOut) {
    this.#options = options;
    this.#http = http;
    this.#signOut = signOut;
  }
  get session() {
    return this.#options.delivery === "session";
  }
  get tokens() {
    return this.#tokens;
  }
  get user() {
    return this.#session;
  }
  get signedIn() {
    return this.#tokens !== void 0 || this.#session !== void 0;
  }
  /** Keeps a sign-in's answer: the tokens, or in session delivery the profile (a tokens answer there is a misconfigured Worker). */
  async accept(answer) {
    if (this.session) {
      if ("accessToken" in answer) throw new Error("The Worker answered tokens: session delivery needs SESSION_MODE=browser on the Worker.");
      const { expiresAt, sub, email, phone, name, groups } = answer;
      this.#session = { sub, email, phone, name, groups, expiresAt };
      return;
    }
    if (!("accessToken" in answer)) throw new Error('The Worker answered a browser session: use delivery "session" with SESSION_MODE=browser.');
    const { refreshToken, ...rest } = answer;
    this.#tokens = rest;
    if (this.#options.delivery === "body" && refreshToken) await this.#options.storage?.set(refreshToken);
  }
  /** Session delivery: the session is live (GET /auth/me answered); what the profile says is what the client knows. */
  noteSession(user) {
    this.#session = user;
  }
  /** The access token for a call; undefined in session delivery, where the cookie stands in for it. */
  async current() {
    if (this.session) return void 0;
    if (!this.#tokens && this.#refreshing) await this.#refreshing;
    if (!this.#tokens) throw new ApiError(401, "not_signed_in", "Sign in first.");
    return this.#tokens.accessToken;
  }
  /** Refreshes unless another call already replaced `used`; concurrent callers share one refresh. */
  async refreshAfter(used) {
    if (this.#tokens && this.#tokens.accessToken !== used) return;
    await this.refresh(true);
  }
  refresh(signOutOnFailure) {
    this.#refreshing ??= (async () => {
      try {
        await this.accept(await retrying(() => this.#refreshOnce(), this.#options.refreshRetry));
      } catch (err) {
        if (signOutOnFailure && err instanceof ApiError && err.code === "invalid_refresh_token") await this.#signOut("refresh_failed");
        throw err;
      } finally {
        this.#refreshing = void 0;
      }
    })();
    return this.#refreshing;
  }
  /** One POST /auth/refresh, with the refresh token stored now (another tab may have replaced it). */
  async #refreshOnce() {
    const refreshToken = this.#options.delivery === "body" ? await this.#options.storage?.get() : void 0;
    const timeoutMs = this.#options.refreshRetry?.timeoutMs ?? RETRY_DEFAULTS.timeoutMs;
    const res = await this.#http.send("POST", "/auth/refresh", refreshToken ? { refreshToken } : {}, void 0, timeoutMs);
    if (!res.ok) throw await ApiError.from(res);
    return await res.json();
  }
  /** Forgets the sign-in: tokens, the stored refresh token (body delivery), the session's profile. */
  async clear() {
    this.#tokens = void 0;
    this.#session = void 0;
    if (this.#options.delivery === "body") await this.#options.storage?.set(null);
  }
};

// src/client/identity.ts
var identityOf = (body) => body.email !== void 0 ? { email: body.email } : { phone: body.phone };
var sameIdentity = (a, b) => a?.email === b.email && a?.phone === b.phone;

// src/client/passkeys.ts
function passkeyApi(json, done) {
  return {
    startRegistration: () => json("POST", "/auth/passkeys/registration"),
    completeRegistration: (credential) => done("POST", "/auth/passkeys", { credential }),
    list: () => json("GET", "/auth/passkeys"),
    delete: (id) => done("DELETE", `/auth/passkeys/${segment(id)}`)
  };
}

// src/client/sessions.ts
function sessionApi(json, done) {
  return {
    list: () => json("GET", "/auth/sessions"),
    end: (id) => done("DELETE", `/auth/sessions/${segment(id)}`)
  };
}

// src/client/transport.ts
var pageUrl = () => globalThis.location?.href;
var Transport = class {
  #options;
  #fetch;
  constructor(options) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }
  /** fetch() at a URL of the Worker (from `url`), as it is. */
  fetch(url, init) {
    return this.#fetch(url, init);
  }
  /**
   * One request; a lost network is ApiError `network_error` and no answer
   * within `timeoutMs` is `timeout` (both status 0).
   */
  async send(method, path, body, token, timeoutMs) {
    const headers = {};
    if (body !== void 0) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    const init = { method, headers, body: body === void 0 ? void 0 : JSON.stringify(body) };
    if (this.#options.delivery !== "body") init.credentials = "include";
    if (timeoutMs !== void 0) init.signal = AbortSignal.timeout(timeoutMs);
    const url = this.url(path);
    try {
      return await this.#fetch(url, init);
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === "TimeoutError";
      const err = timedOut ? new ApiError(0, "timeout", "The server did not answer in time.") : new ApiError(0, "network_error", "The server could not be reached.");
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
  url(path) {
    const base = this.#options.baseUrl || pageUrl();
    if (!base) throw new TypeError("The client needs a baseUrl outside a browser page.");
    const origin = new URL(base).origin;
    const url = new URL(path, base);
    if (url.origin !== origin || !/^https?:$/.test(url.protocol)) throw new TypeError("The path leads off the Worker's origin.");
    return url;
  }
};

// src/client/client.ts
var CognitoEdgeClient = class {
  #options;
  #http;
  #held;
  #identity;
  #pending;
  /** The last registration's session: verifyEmail sends it, and the confirmation signs the user in. */
  #registration;
  #reauthenticating;
  constructor(options) {
    if (options.delivery === "body" && !options.storage) throw new Error("body delivery needs a storage for the refresh token");
    this.#options = options;
    this.#http = new Transport(options);
    this.#held = new Credentials(options, this.#http, (reason) => this.#signOut(reason));
  }
  /** The current access token, for calls to your own APIs (or use `fetch`); always undefined in session delivery. */
  get accessToken() {
    return this.#held.tokens?.accessToken;
  }
  get idToken() {
    return this.#held.tokens?.idToken;
  }
  get signedIn() {
    return this.#held.signedIn;
  }
  /** Session delivery: the signed-in user as the sign-in answered it (or GET /auth/me after `restore`). */
  get user() {
    return this.#held.user;
  }
  // Sign-up and sign-in
  /** Registers (without `password`: a passwordless account); keeps the answer's session for verifyEmail. */
  async register(body) {
    const registered = await this.#json("POST", "/auth/register", { body });
    this.#registration = registered.session ? { identity: identityOf(body), session: registered.session } : void 0;
    return registered;
  }
  /** Confirms the email address or phone number; right after register, this also signs the user in (`signedIn`). */
  async verifyEmail(body) {
    const identity = identityOf(body);
    const registration = sameIdentity(this.#registration?.identity, identity) ? this.#registration : void 0;
    const answer = await this.#json("POST", "/auth/verify", {
      body: { ...body, session: body.session ?? registration?.session }
    });
    this.#registration = void 0;
    if (!("accessToken" in answer) && !("sub" in answer)) return { confirmed: true, signedIn: false };
    this.#identity = identity;
    const { confirmed: _, ...signedIn } = answer;
    await this.#held.accept(signedIn);
    return { confirmed: true, signedIn: true };
  }
  /** Sends the confirmation code again, to an email address (a string) or an `{ email }` or `{ phone }`. */
  resendCode = async (who) => void await this.#call("POST", "/auth/resend-code", { body: typeof who === "string" ? { email: who } : who });
  /**
   * Signs in: with a password, or by a `method` (email_otp, sms_otp, passkey), or
   * without either to be offered the account's methods. The answer is `signedIn`,
   * or a challenge to answer with `answerChallenge`.
   */
  async login(body) {
    const res = await this.#call("POST", "/auth/login", { body });
    return this.#signIn(identityOf(body), await res.json());
  }
  /** Answers the pending challenge: a `code`, a `newPassword`, a `method` (and `password`) to choose, or a passkey's `credential`. */
  async answerChallenge(answer) {
    const pending = this.#pending;
    if (!pending) throw new ApiError(401, "invalid_session", "There is no sign-in to continue; sign in again.");
    const { identity, challenge, session } = pending;
    try {
      const res = await this.#call("POST", "/auth/challenge", { body: { ...identity, challenge, session, ...answer } });
      return this.#signIn(identity, await res.json());
    } catch (err) {
      if (err instanceof ApiError && err.code === "invalid_session") this.#pending = void 0;
      throw err;
    }
  }
  /**
   * On page load: signs in from the refresh token (cookie or storage) if there
   * is one; in session delivery, asks GET /auth/me whether the session cookie
   * is live. False when there is none or it is refused. Throttling, an outage or
   * a lost network that outlast the retries throw: the session may still be good.
   */
  async restore() {
    try {
      if (this.#held.session) {
        const profile = await this.#json("GET", "/auth/me", { auth: true });
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
  async logout(options = {}) {
    const refreshToken = this.#options.delivery === "body" ? await this.#options.storage?.get() ?? void 0 : void 0;
    await this.#call("POST", "/auth/logout", { auth: true, body: { refreshToken, global: options.global || void 0 } });
    await this.#signOut("logout");
  }
  // Passwords
  forgotPassword = async (email) => void await this.#call("POST", "/auth/forgot-password", { body: { email } });
  resetPassword = (body) => this.#json("POST", "/auth/reset-password", { body });
  /** Every session ends and the caller is signed in again: `signedIn`, a challenge, or `signedOut` (sign in yourself). */
  async changePassword(body) {
    const identity = this.#identity;
    const res = await this.#call("POST", "/auth/change-password", { auth: true, body });
    if (res.status === 204 || !identity) {
      await this.#signOut("password_changed");
      return { status: "signedOut" };
    }
    return this.#signIn(identity, await res.json());
  }
  // Profile and TOTP
  me = () => this.#json("GET", "/auth/me", { auth: true });
  updateMe = (attributes) => this.#json("PATCH", "/auth/me", { auth: true, body: { attributes } });
  verifyAttribute = async (body) => void await this.#call("POST", "/auth/me/verify-attribute", { auth: true, body });
  /** A new code for an email address or phone number awaiting verify-attribute. */
  sendAttributeCode = (attribute) => this.#json("POST", "/auth/me/attribute-code", { auth: true, body: { attribute } });
  async deleteAccount() {
    await this.#call("DELETE", "/auth/me", { auth: true });
    await this.#signOut("account_deleted");
  }
  setUpTotp = () => this.#json("POST", "/auth/mfa/totp/setup", { auth: true });
  verifyTotp = async (body) => void await this.#call("POST", "/auth/mfa/totp/verify", { auth: true, body });
  deleteTotp = async () => void await this.#call("DELETE", "/auth/mfa/totp", { auth: true });
  factors = () => this.#json("GET", "/auth/me/factors", { auth: true });
  health = () => this.#json("GET", "/health");
  #bearerJson = (method, path, body) => this.#json(method, path, { auth: true, body });
  #bearerDone = async (method, path, body) => void await this.#call(method, path, { auth: true, body });
  /** Passkeys: registration around navigator.credentials.create (start, then complete with its toJSON()), list, delete. */
  passkeys = passkeyApi(this.#bearerJson, this.#bearerDone);
  /** The user's sessions: list (which one is this client's: `current`), end one by id. */
  sessions = sessionApi(this.#bearerJson, this.#bearerDone);
  /** User administration (members of ADMIN_GROUP). */
  admin = adminApi(this.#bearerJson, this.#bearerDone);
  /**
   * fetch() for your own APIs behind the Worker's gateway: adds the access
   * token, refreshes once on `token_expired` and retries. The body must be
   * one that can be sent twice (not a stream). In session delivery: sent with
   * credentials, no token (the Worker refreshes the session itself).
   */
  async fetch(path, init = {}) {
    const url = this.#http.url(path);
    if (this.#held.session) return this.#http.fetch(url, { ...init, credentials: "include" });
    let refreshed = false;
    for (; ; ) {
      const token = await this.#held.current() ?? "";
      const headers = new Headers(init.headers);
      headers.set("Authorization", `Bearer ${token}`);
      const res = await this.#http.fetch(url, { ...init, headers });
      if (res.status !== 401 || refreshed || await codeOf(res) !== "token_expired") return res;
      refreshed = true;
      await this.#held.refreshAfter(token);
    }
  }
  async #json(method, path, options = {}) {
    return await (await this.#call(method, path, options)).json();
  }
  /** One call; on failure throws ApiError, after at most one refresh and one re-authentication. */
  async #call(method, path, options) {
    let refreshed = false;
    let reauthenticated = false;
    for (; ; ) {
      const token = options.auth ? await this.#held.current() : void 0;
      const authed = token !== void 0 || options.auth === true && this.#held.session;
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
      if (authed && !token && err.code === "unauthorized" && this.#held.signedIn) await this.#signOut("session_ended");
      throw err;
    }
  }
  async #reauthenticate(err) {
    this.#reauthenticating ??= (async () => {
      try {
        await this.#options.reauthenticate?.({ ...this.#identity, error: err });
      } finally {
        this.#reauthenticating = void 0;
      }
    })();
    return this.#reauthenticating;
  }
  async #signIn(identity, answer) {
    if (!("challenge" in answer)) {
      this.#pending = void 0;
      this.#identity = identity;
      await this.#held.accept(answer);
      return { status: "signedIn" };
    }
    this.#pending = { identity, challenge: answer.challenge, session: answer.session };
    const { session: _, ...rest } = answer;
    return { status: "challenge", ...rest };
  }
  async #signOut(reason) {
    this.#pending = void 0;
    await this.#held.clear();
    this.#options.onSignedOut?.(reason);
  }
};
export {
  ApiError,
  CognitoEdgeClient
};
