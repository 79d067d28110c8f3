import { Hono } from "hono/tiny";
import type { Accepted, PasswordReset } from "../answers";
import { confirmForgotPassword, forgotPassword, passwordAuth } from "../cognito/auth-ops";
import { changePassword, getUser } from "../cognito/user-ops";
import { AuthError, isOutage } from "../errors";
import { log } from "../log";
import { readJson, validate } from "../middleware/json-body";
import { requireAuth } from "../middleware/require-auth";
import { ChangePasswordBody, EmailBody, ResetPasswordBody } from "../schemas";
import { enforceLimits } from "../limits/enforce";
import { endSessionsAfterReset, signOutEverywhere } from "../session/end";
import { clearRefreshCookie } from "../session/refresh-token";
import type { AppEnv } from "../types";
import { answerAuth } from "./auth";

export const passwordRoutes = new Hono<AppEnv>()
  .post("/forgot-password", readJson(), validate("json", EmailBody), async (c) => {
    // Identical for known and unknown emails; only outages are reported.
    const { email } = c.req.valid("json");
    await enforceLimits(c, "forgot-password", email);
    try {
      await forgotPassword(c.var.cognito, email);
    } catch (err) {
      if (isOutage(err)) throw err;
    }
    return c.json({} satisfies Accepted, 202);
  })
  .post("/reset-password", readJson(), validate("json", ResetPasswordBody), async (c) => {
    const { email, code, newPassword } = c.req.valid("json");
    await enforceLimits(c, "reset-password", email);
    await confirmForgotPassword(c.var.cognito, email, code, newPassword);
    // Whoever knew the old password may hold sessions: end them all.
    const signedOut = await endSessionsAfterReset(c, email, newPassword);
    return c.json({ reset: true, signedOut } satisfies PasswordReset, 200);
  })
  .post("/change-password", requireAuth(), readJson(), validate("json", ChangePasswordBody), async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    const { cognito } = c.var;
    // The email to sign in again with; GetUser also proves the token is still good at Cognito.
    const user = await getUser(cognito, c.var.auth.token);
    await changePassword(cognito, c.var.auth.token, currentPassword, newPassword);
    // Every session made with the old password ends, the caller's too; the caller then signs in anew.
    await signOutEverywhere(c, c.var.auth);
    const email = user.UserAttributes.find((a) => a.Name === "email")?.Value ?? user.Username;
    let out;
    try {
      out = await passwordAuth(cognito, email, newPassword);
    } catch (err) {
      // The password did change: answer so, and let the client sign in itself.
      log("warn", "sign_in_after_change_failed", { requestId: c.var.requestId, error: err instanceof AuthError ? err.code : "unknown" });
      clearRefreshCookie(c);
      return c.body(null, 204);
    }
    // A new refresh cookie replaces the dead one; a challenge leaves none behind.
    if (!out.AuthenticationResult) clearRefreshCookie(c);
    return answerAuth(c, out);
  });
