import { Hono } from "hono/tiny";
import type { Accepted, Confirmed, Registered } from "../answers";
import { confirmSignUp, passwordAuth, resendConfirmationCode, signUp } from "../cognito/auth-ops";
import { toDelivery } from "../cognito/schemas";
import { AuthError, isOutage } from "../errors";
import { jsonBody } from "../middleware/json-body";
import { requireAuth } from "../middleware/require-auth";
import { assertWritable } from "../profile";
import { EmailBody, LoginBody, LogoutBody, RefreshBody, RegisterBody, VerifyBody } from "../schemas";
import { logOut } from "../session/end";
import { refreshTokenOf } from "../session/refresh-cookie";
import { refreshSession } from "../session/refresh";
import { answerAuth } from "../session/issue";
import { countRequest, guardGuess } from "../limits/enforce";
import type { AppEnv } from "../types";

/** Built by createApp on the first request, not at module load (startup CPU). */
export const authRoutes = () =>
  new Hono<AppEnv>()
  .post("/register", jsonBody(RegisterBody), async (c) => {
    const { email, password, name, attributes } = c.req.valid("json");
    assertWritable(c.var.config, attributes);
    await countRequest(c, "register", email);
    const out = await signUp(c.var.cognito, email, password, { ...attributes, name });
    const delivery = toDelivery(out.CodeDeliveryDetails);
    return c.json({ userSub: out.UserSub, confirmed: out.UserConfirmed, delivery } satisfies Registered, 201);
  })
  .post("/verify", jsonBody(VerifyBody), async (c) => {
    const { email, code } = c.req.valid("json");
    await guardGuess(c, "verify", email, () => confirmSignUp(c.var.cognito, email, code));
    return c.json({ confirmed: true } satisfies Confirmed, 200);
  })
  .post("/resend-code", jsonBody(EmailBody), async (c) => {
    // Same answer for known, unknown and already confirmed emails: no enumeration.
    const { email } = c.req.valid("json");
    await countRequest(c, "resend-code", email);
    try {
      await resendConfirmationCode(c.var.cognito, email);
    } catch (err) {
      if (isOutage(err)) throw err;
    }
    return c.json({} satisfies Accepted, 202);
  })
  .post("/login", jsonBody(LoginBody), async (c) => {
    const { email, password } = c.req.valid("json");
    const out = await guardGuess(c, "login", email, () => passwordAuth(c.var.cognito, email, password));
    return answerAuth(c, out, email);
  })
  .post("/refresh", jsonBody(RefreshBody, { optional: true }), async (c) => {
    const presented = refreshTokenOf(c, c.req.valid("json").refreshToken);
    if (!presented) throw new AuthError("invalid_refresh_token");
    return answerAuth(c, await refreshSession(c, presented));
  })
  .post("/logout", requireAuth(), jsonBody(LogoutBody, { optional: true }), async (c) => {
    const body = c.req.valid("json");
    await logOut(c, c.var.auth, refreshTokenOf(c, body.refreshToken), body.global);
    return c.body(null, 204);
  });
