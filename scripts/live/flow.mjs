// The flows of `npm run test:live`, against the Worker at `base` and the pool
// behind it: sign-up with an admin confirmation, sign-in, refresh, profile,
// password change, logout, global logout and account deletion. The test user
// is deleted in any case (runCleanup).
import { randomBytes, randomUUID } from "node:crypto";
import { workerCaller } from "./http.mjs";

/** A password that meets Cognito's default policy (upper, lower, digit, symbol, 8+). */
const newPassword = () => `Lv-${randomBytes(12).toString("base64url")}-9a!Z`;

const REFRESH_COOKIE = "__Host-refresh=";

/** The refresh token of a tokens answer: the body's, else the cookie's (a deployed Worker may deliver it so). */
function refreshOf(res) {
  if (typeof res.body?.refreshToken === "string") return res.body.refreshToken;
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(REFRESH_COOKIE));
  const value = cookie?.slice(REFRESH_COOKIE.length).split(";")[0];
  return value || undefined;
}

/** A tokens answer, as /auth/login gives it: an access token and (for sign-ins) a refresh token. */
const tokens = ({ refresh = true } = {}) => ({
  check: (res) => {
    if (res.body?.challenge) return `Cognito asks for ${res.body.challenge}; the test needs a pool where password sign-in gives tokens`;
    if (typeof res.body?.accessToken !== "string") return "no accessToken in the answer";
    if (refresh && !refreshOf(res)) return "no refresh token in the body or the __Host-refresh cookie";
    return undefined;
  },
});

/**
 * Creates the user `user.email` and takes it through every flow; fills
 * `user.username` as soon as Cognito names it, for the cleanup.
 * @param {{ step: Function, note: Function }} steps
 * @param {(op: string, input: object) => Promise<any>} admin
 * @param {string} base the Worker's URL
 * @param {{ email: string, username?: string, registering?: boolean }} user
 */
export async function runFlows(steps, admin, base, user) {
  const api = workerCaller(base);
  const { step } = steps;
  const { email } = user;
  const first = newPassword();
  const second = newPassword();
  const login = (label, password, expect = tokens()) =>
    step(label, 200, () => api("POST", "/auth/login", { body: { email, password } }), expect);
  const refresh = (label, refreshToken, status, expect) =>
    step(label, status, () => api("POST", "/auth/refresh", { body: { refreshToken } }), expect);

  await step("GET /health", 200, () => api("GET", "/health"));

  user.registering = true;
  const registered = await step("POST /auth/register", 201, () => api("POST", "/auth/register", { body: { email, password: first, name: "Live Test" } }), {
    check: (res) => (typeof res.body?.userSub === "string" ? undefined : "no userSub"),
  });
  // In an email pool Cognito's username is the sub; admin calls accept it.
  user.username = registered.body.userSub;
  if (registered.body.confirmed) {
    steps.note("Cognito confirmed the user at sign-up (a pre-sign-up trigger?): the unconfirmed checks are skipped");
  } else {
    await step("POST /auth/login before confirmation", 403, () => api("POST", "/auth/login", { body: { email, password: first } }), {
      code: "email_not_confirmed",
    });
    await step("AdminConfirmSignUp (script, SigV4)", 200, () => admin("AdminConfirmSignUp", { Username: user.username }));
  }

  const session1 = await login("POST /auth/login", first);
  await step("GET /auth/me", 200, () => api("GET", "/auth/me", { token: session1.body.accessToken }), {
    check: (res) => (res.body?.email !== email ? "profile email differs" : res.body?.sub !== user.username ? "profile sub differs" : undefined),
  });
  const refreshed = await refresh("POST /auth/refresh", refreshOf(session1), 200, tokens({ refresh: false }));
  const renamed = "Live Test Renamed";
  await step("PATCH /auth/me (name)", 200, () => api("PATCH", "/auth/me", { token: refreshed.body.accessToken, body: { attributes: { name: renamed } } }), {
    check: (res) => (res.body?.name === renamed ? undefined : "name not changed"),
  });
  await step("GET /auth/me after PATCH", 200, () => api("GET", "/auth/me", { token: refreshed.body.accessToken }), {
    check: (res) => (res.body?.name === renamed ? undefined : "name not kept"),
  });

  // Changing the password ends every session and answers the new sign-in's tokens.
  const changed = await step(
    "POST /auth/change-password",
    200,
    () => api("POST", "/auth/change-password", { token: refreshed.body.accessToken, body: { currentPassword: first, newPassword: second } }),
    tokens(),
  );
  await refresh("POST /auth/refresh, session before the change", refreshOf(session1), 401, { code: "invalid_refresh_token" });
  await step("GET /auth/me, token before the change", 401, () => api("GET", "/auth/me", { token: refreshed.body.accessToken }), {
    code: "unauthorized",
  });
  const afterChange = await refresh("POST /auth/refresh, session of the change", refreshOf(changed), 200, tokens({ refresh: false }));

  // Logout ends that one session.
  await step("POST /auth/logout", 204, () =>
    api("POST", "/auth/logout", { token: afterChange.body.accessToken, body: { refreshToken: refreshOf(changed) } }),
  );
  await refresh("POST /auth/refresh after logout", refreshOf(changed), 401, { code: "invalid_refresh_token" });

  // Global logout ends every session, also one it was not called with.
  const sessionB = await login("POST /auth/login, new password (session B)", second);
  const sessionC = await login("POST /auth/login, new password (session C)", second);
  await step("POST /auth/logout global, from B", 204, () =>
    api("POST", "/auth/logout", { token: sessionB.body.accessToken, body: { global: true } }),
  );
  await refresh("POST /auth/refresh of C after global logout", refreshOf(sessionC), 401, { code: "invalid_refresh_token" });

  // Deleting the account needs a recent sign-in.
  const fresh = await login("POST /auth/login (fresh, for deletion)", second);
  await step("DELETE /auth/me", 204, () => api("DELETE", "/auth/me", { token: fresh.body.accessToken }));
  await step("POST /auth/login after deletion", 401, () => api("POST", "/auth/login", { body: { email, password: second } }), {
    code: "invalid_credentials",
  });
}

/**
 * Deletes the test user whatever happened (AdminDeleteUser; "not found" means
 * the flow deleted it already) and proves it is gone (AdminGetUser).
 * Resolves to true when the user is known to be gone (or was never asked for).
 */
export async function runCleanup(steps, admin, user) {
  if (!user.registering) {
    steps.note("cleanup: nothing to delete (the flow stopped before registering)");
    return true;
  }
  // Before Cognito named the user the email works too: it is an alias in email pools.
  const Username = user.username ?? user.email;
  const deleted = await admin("AdminDeleteUser", { Username }).catch((err) => ({ status: "---", ms: 0, type: String(err) }));
  const absent = deleted.type === "UserNotFoundException";
  steps.note(`cleanup: AdminDeleteUser ${deleted.status} ${Math.round(deleted.ms)} ms${absent ? " (not found: deleted by the flow, or never created)" : deleted.type ? ` ${deleted.type}` : ""}`);
  const check = await admin("AdminGetUser", { Username }).catch((err) => ({ status: "---", ms: 0, type: String(err) }));
  const gone = check.type === "UserNotFoundException";
  steps.note(`cleanup: AdminGetUser ${check.status} ${Math.round(check.ms)} ms ${gone ? "(gone)" : `-- THE TEST USER MAY STILL EXIST: ${user.email}`}`);
  return gone;
}

/** A fresh test address under `domain`. */
export const testEmail = (domain) => `cognito-edge-live+${randomUUID()}@${domain}`.toLowerCase();
