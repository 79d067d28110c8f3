import { Hono } from "hono/tiny";
import type { Accepted, PasswordReset } from "../answers";
import { confirmForgotPassword, forgotPassword } from "../cognito/auth-ops";
import { unlessPoolWide } from "../cognito/errors";
import { changePassword, getUser } from "../cognito/user-ops";
import { jsonBody } from "../middleware/json-body";
import { limitPerUser } from "../middleware/limits";
import { requireAuth } from "../middleware/require-auth";
import { ChangePasswordBody, EmailBody, ResetPasswordBody } from "../schemas";
import { countRequest, guardGuess, guardUserGuess } from "../limits/enforce";
import { endSessionsAfterChange, endSessionsAfterReset } from "../session/end";
import { answerAuth } from "../session/issue";
import type { AppEnv } from "../types";

/** Built by createApp on the first request, not at module load (startup CPU). */
export const passwordRoutes = () =>
  new Hono<AppEnv>()
  .post("/forgot-password", jsonBody(EmailBody), async (c) => {
    // Identical for known and unknown emails; only outages are reported.
    const { email } = c.req.valid("json");
    await countRequest(c, "forgot-password", { account: email, to: [email] });
    await forgotPassword(c.var.cognito, email).catch(unlessPoolWide("forgot-password"));
    return c.json({} satisfies Accepted, 202);
  })
  .post("/reset-password", jsonBody(ResetPasswordBody), async (c) => {
    const { email, code, newPassword } = c.req.valid("json");
    await guardGuess(c, "reset-password", email, () => confirmForgotPassword(c.var.cognito, email, code, newPassword));
    // Whoever knew the old password may hold sessions: end them all.
    const signedOut = await endSessionsAfterReset(c, email, newPassword);
    return c.json({ reset: true, signedOut } satisfies PasswordReset, 200);
  })
  .post("/change-password", requireAuth(), jsonBody(ChangePasswordBody), limitPerUser(), async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    const { cognito } = c.var;
    // The email to sign in again with; GetUser also proves the token is still good at Cognito.
    const user = await getUser(cognito, c.var.auth.token);
    await guardUserGuess(c, "change-password", () => changePassword(cognito, c.var.auth.token, currentPassword, newPassword));
    // Every session made with the old password ends, the caller's too; the caller then signs in anew.
    const again = await endSessionsAfterChange(c, c.var.auth, user, newPassword);
    // The password did change: without a new sign-in the client signs in itself.
    return again ? answerAuth(c, again.out, again.email) : c.body(null, 204);
  });
