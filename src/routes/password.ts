import { Hono } from "hono/tiny";
import { confirmForgotPassword, forgotPassword } from "../cognito/auth-ops";
import { changePassword } from "../cognito/user-ops";
import { isOutage } from "../errors";
import { readJson, validate } from "../middleware/json-body";
import { requireAuth } from "../middleware/require-auth";
import { ChangePasswordBody, EmailBody, ResetPasswordBody } from "../schemas";
import { countRequest, guardGuess, guardUserGuess } from "../limits/enforce";
import type { AppEnv } from "../types";

export const passwordRoutes = new Hono<AppEnv>()
  .post("/forgot-password", readJson(), validate("json", EmailBody), async (c) => {
    // Identical for known and unknown emails; only outages are reported.
    const { email } = c.req.valid("json");
    await countRequest(c, "forgot-password", email);
    try {
      await forgotPassword(c.var.cognito, email);
    } catch (err) {
      if (isOutage(err)) throw err;
    }
    return c.json({}, 202);
  })
  .post("/reset-password", readJson(), validate("json", ResetPasswordBody), async (c) => {
    const { email, code, newPassword } = c.req.valid("json");
    await guardGuess(c, "reset-password", email, () => confirmForgotPassword(c.var.cognito, email, code, newPassword));
    return c.json({ reset: true }, 200);
  })
  .post("/change-password", requireAuth(), readJson(), validate("json", ChangePasswordBody), async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    await guardUserGuess(c, "change-password", () => changePassword(c.var.cognito, c.var.auth.token, currentPassword, newPassword));
    return c.body(null, 204);
  });
