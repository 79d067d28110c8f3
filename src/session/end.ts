import type { Context } from "hono";
import { decodeJwt } from "jose";
import { adminGetUser, adminUserAction, type UserAction } from "../cognito/admin-ops";
import { passwordAuth, revokeToken } from "../cognito/auth-ops";
import type { AuthenticationResult, CognitoUser } from "../cognito/schemas";
import { deleteUser, globalSignOut } from "../cognito/user-ops";
import { AuthError } from "../errors";
import { log } from "../log";
import { keysOf } from "../seal/context";
import { loggedOut, loggedOutEverywhere } from "../sessions/hooks";
import { readClaims } from "../tokens/claims";
import { lifeOf, Revocations } from "../tokens/revocations";
import type { AppEnv, AuthContext } from "../types";
import { clearSessionCookie } from "./browser-cookie";
import { clearRefreshCookie } from "./refresh-cookie";
import { noteEnded } from "./renew";
import { unwrapRefreshToken } from "./refresh-token";

// Every way a session ends. Cognito ends the tokens it issued; with
// REVOCATIONS bound the edge refuses the access tokens too, before their exp;
// with SESSIONS bound the session registry lets the sessions go (sessions/).

/**
 * The caller's session is over: its cookies go, and a browser session's
 * cookie, should a copy of it come back, is refused in this isolate at once
 * (elsewhere when Cognito is next asked, renew.ts).
 */
function dropCookies(c: Context<AppEnv>): void {
  clearRefreshCookie(c);
  if (c.var.config.sessionMode !== "browser") return;
  clearSessionCookie(c);
  if (c.var.session) noteEnded(c.var.session.accessToken);
}

/** Refuses, at the edge, every access token of `sub` issued until now, and ends every session the registry holds of `sub`. */
async function revokeUserAtEdge(c: Context<AppEnv>, sub: string, lifeS?: number): Promise<void> {
  if (c.env.REVOCATIONS) await new Revocations(c.env.REVOCATIONS).revokeUser(sub, lifeS);
  await loggedOutEverywhere(c, sub);
}

/**
 * Ends every session of the caller. GlobalSignOut alone: it invalidates every
 * refresh token and access token of the user. It must come first and alone,
 * since RevokeToken would also revoke the access token GlobalSignOut needs
 * (AWS API reference, RevokeToken).
 */
async function signOutEverywhere(c: Context<AppEnv>, auth: AuthContext): Promise<void> {
  try {
    await globalSignOut(c.var.cognito, auth.token);
  } finally {
    // Also when Cognito failed: the user asked for it, and the edge can refuse the tokens anyway.
    await revokeUserAtEdge(c, auth.claims.sub, lifeOf(auth.claims));
  }
}

/**
 * Ends the caller's session: its refresh token and the access tokens issued
 * from it. When RevokeToken refuses the presented token, nothing proves the
 * session is over: with rotation the caller may hold a token that another
 * refresh (a thief's) already replaced, and RevokeToken ends only the token
 * presented, other refresh tokens of the user "are not affected" (API
 * reference, RevokeToken). Then every session ends, with the caller's own
 * access token (GlobalSignOut), as when no refresh token is presented.
 */
async function signOutSession(c: Context<AppEnv>, auth: AuthContext, refreshToken: string): Promise<void> {
  let sid: string;
  try {
    const opened = await unwrapRefreshToken(keysOf(c.var.config), c.var.config.clientId, refreshToken);
    await revokeToken(c.var.cognito, opened.token);
    sid = opened.sid;
  } catch (err) {
    if (!(err instanceof AuthError && err.code === "invalid_refresh_token")) throw err;
    return signOutEverywhere(c, auth);
  }
  if (c.env.REVOCATIONS) await new Revocations(c.env.REVOCATIONS).revokeSession(auth.claims);
  // The caller's registry only: whoever presents another user's refresh token ends it at Cognito, not in that user's list.
  await loggedOut(c, auth.claims.sub, sid);
}

/**
 * Logout: ends this session, or every session when asked to, when no refresh
 * token that Cognito accepts names this one, or with rotation (then ending
 * them all is the only way). With rotation a session is a family of refresh
 * tokens, each rotated from the last, and the one presented may not be the
 * newest (a thief's refresh may have replaced it) nor the only one alive (the
 * one it replaced works through the grace period). RevokeToken ends "the
 * refresh token" and leaves the user's other refresh tokens unaffected (API
 * reference, RevokeToken); whether it reaches the tokens rotated from or into
 * it is not documented. A revocation here cannot make up for it: it lives one
 * access-token life, the refresh tokens far longer.
 */
export async function logOut(c: Context<AppEnv>, auth: AuthContext, refreshToken: string | undefined, everywhere?: boolean): Promise<void> {
  if (everywhere || !refreshToken || c.var.config.refreshRotation) await signOutEverywhere(c, auth);
  else await signOutSession(c, auth, refreshToken);
  dropCookies(c);
}

/** An access token's claims, when they can be read (a refresh's answer is checked again when it is issued). */
function readableClaims(accessToken: string) {
  try {
    return readClaims(decodeJwt(accessToken));
  } catch {
    return undefined;
  }
}

/**
 * With REVOCATIONS bound, a session logged out here stays out: a refresh of it
 * is refused (401 invalid_refresh_token), and the refresh token Cognito just
 * issued is revoked there too (best effort). Cognito may still honour a token
 * of such a session, e.g. when logout presented a refresh token that rotation
 * had already replaced and RevokeToken ended that one alone.
 */
export async function refuseLoggedOutRefresh(c: Context<AppEnv>, result: AuthenticationResult, presented: string): Promise<void> {
  if (!c.env.REVOCATIONS) return;
  const claims = readableClaims(result.AccessToken);
  if (!claims || (await new Revocations(c.env.REVOCATIONS).check(claims)).state !== "revoked") return;
  await revokeToken(c.var.cognito, result.RefreshToken ?? presented).catch(() => undefined);
  throw new AuthError("invalid_refresh_token");
}

/** Deletes the caller's account; its access tokens stop passing here too. */
export async function deleteAccount(c: Context<AppEnv>, auth: AuthContext): Promise<void> {
  await deleteUser(c.var.cognito, auth.token);
  await revokeUserAtEdge(c, auth.claims.sub, lifeOf(auth.claims));
  dropCookies(c);
}

/**
 * Ends every session after ChangePassword, and never fails the request, since
 * the password did change (a retry with the old one would be refused). When
 * GlobalSignOut fails even after its retry, the admin call is the fallback;
 * the edge refuses the old access tokens either way.
 */
async function endEverySession(c: Context<AppEnv>, auth: AuthContext): Promise<void> {
  try {
    await signOutEverywhere(c, auth);
  } catch (err) {
    if (c.var.config.aws) {
      try {
        await adminUserAction(c.var.cognito, "AdminUserGlobalSignOut", auth.claims.username);
        return;
      } catch {
        // logged below
      }
    }
    log("error", "sessions_not_ended", { requestId: c.var.requestId, error: err instanceof AuthError ? err.code : "unknown" });
  }
}

/**
 * Signs the caller in again after a password change. Only by a *verified*
 * email, and only into the caller's own account: an unverified email could
 * name someone else's account, which would turn change-password into an
 * unthrottled password guess against it. Undefined when it cannot be done.
 */
async function signInAgain(c: Context<AppEnv>, auth: AuthContext, user: CognitoUser, password: string) {
  const { email, email_verified: verified } = user.attributes;
  if (!email || verified !== "true") return undefined;
  try {
    const out = await passwordAuth(c.var.cognito, email, password);
    const result = out.AuthenticationResult;
    if (result && readClaims(decodeJwt(result.AccessToken))?.sub !== auth.claims.sub) throw new Error("another account");
    return { out, email };
  } catch (err) {
    log("warn", "sign_in_after_change_failed", { requestId: c.var.requestId, error: err instanceof AuthError ? err.code : "unknown" });
    return undefined;
  }
}

/**
 * After ChangePassword succeeded: every session made with the old password
 * ends, the caller's too; then the caller is signed in again with the new one
 * (its outcome, for answerAuth). The refresh cookie is cleared unless that
 * sign-in brings a new one.
 */
export async function endSessionsAfterChange(c: Context<AppEnv>, auth: AuthContext, user: CognitoUser, password: string) {
  await endEverySession(c, auth);
  const again = await signInAgain(c, auth, user, password);
  if (c.var.session) noteEnded(c.var.session.accessToken);
  if (!again?.out.AuthenticationResult) dropCookies(c);
  return again;
}

/**
 * An admin action on a user (sign-out, disable, delete) that ends every
 * session: Cognito's operation, then a user-wide revocation at the edge,
 * keyed by the user's `sub`, read before the user may be gone.
 */
export async function adminEndSessions(c: Context<AppEnv>, op: UserAction, username: string): Promise<void> {
  const user = c.env.REVOCATIONS || c.env.SESSIONS ? await adminGetUser(c.var.cognito, username) : undefined;
  await adminUserAction(c.var.cognito, op, username);
  const sub = user && (user.attributes.sub || user.username);
  if (sub) await revokeUserAtEdge(c, sub);
}

/**
 * After a password reset, ends every earlier session: with admin credentials
 * AdminUserGlobalSignOut; else by signing in with the new password and
 * calling GlobalSignOut with that token. False when neither is possible (the
 * sign-in stops at an MFA challenge) or fails: the password is reset either
 * way, so this never fails the request.
 */
export async function endSessionsAfterReset(c: Context<AppEnv>, email: string, newPassword: string): Promise<boolean> {
  try {
    if (c.var.config.aws) {
      await adminEndSessions(c, "AdminUserGlobalSignOut", email);
      return true;
    }
    const result = (await passwordAuth(c.var.cognito, email, newPassword)).AuthenticationResult;
    if (!result) return false;
    const claims = readClaims(decodeJwt(result.AccessToken));
    if (!claims) return false;
    await signOutEverywhere(c, { token: result.AccessToken, claims });
    return true;
  } catch (err) {
    log("warn", "sessions_not_ended", { requestId: c.var.requestId, error: err instanceof AuthError ? err.code : "unknown" });
    return false;
  }
}
