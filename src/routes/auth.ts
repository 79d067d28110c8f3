import { Hono } from "hono/tiny";
import type { Accepted, ChallengeAnswer, Confirmed, Registered } from "../answers";
import { assertWritable } from "../attributes";
import { confirmSignUp, passwordAuth, resendConfirmationCode, signUp } from "../cognito/auth-ops";
import { type AuthResponse, toDelivery } from "../cognito/schemas";
import { AuthError, internalError, isOutage } from "../errors";
import { readJson, validate } from "../middleware/json-body";
import { requireAuth } from "../middleware/require-auth";
import { CHALLENGES, EmailBody, LoginBody, LogoutBody, RefreshBody, RegisterBody, VerifyBody } from "../schemas";
import { signOutEverywhere, signOutSession } from "../session/end";
import { refreshSession } from "../session/refresh";
import { clearRefreshCookie, refreshTokenOf } from "../session/refresh-token";
import { deliverTokens } from "../session/tokens";
import { countRequest, guardGuess, trustDevice } from "../limits/enforce";
import type { AppEnv } from "../types";
import type { Context } from "hono";

/**
 * Answers an InitiateAuth / RespondToAuthChallenge outcome: tokens or the next
 * challenge. Tokens for a sign-in to `account` (not a refresh) also mark this
 * browser as a device that signed in to it.
 */
export function answerAuth(c: Context<AppEnv>, out: AuthResponse, account?: string): Response {
  if (out.AuthenticationResult) {
    if (account) trustDevice(c, account);
    return deliverTokens(c, out.AuthenticationResult);
  }
  const challenge = CHALLENGES.find((name) => name === out.ChallengeName);
  if (challenge && out.Session) {
    c.header("Cache-Control", "no-store");
    return c.json({ challenge, session: out.Session } satisfies ChallengeAnswer, 200);
  }
  throw internalError({ reason: "unsupported challenge", challenge: out.ChallengeName ?? "none" });
}

/** Built by createApp on the first request, not at module load (startup CPU). */
export const authRoutes = () =>
  new Hono<AppEnv>()
  .post("/register", readJson(), validate("json", RegisterBody), async (c) => {
    const { email, password, name, attributes } = c.req.valid("json");
    assertWritable(c.var.config, attributes);
    await countRequest(c, "register", email);
    const out = await signUp(c.var.cognito, email, password, { ...attributes, name });
    const delivery = toDelivery(out.CodeDeliveryDetails);
    return c.json({ userSub: out.UserSub, confirmed: out.UserConfirmed, delivery } satisfies Registered, 201);
  })
  .post("/verify", readJson(), validate("json", VerifyBody), async (c) => {
    const { email, code } = c.req.valid("json");
    await guardGuess(c, "verify", email, () => confirmSignUp(c.var.cognito, email, code));
    return c.json({ confirmed: true } satisfies Confirmed, 200);
  })
  .post("/resend-code", readJson(), validate("json", EmailBody), async (c) => {
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
  .post("/login", readJson(), validate("json", LoginBody), async (c) => {
    const { email, password } = c.req.valid("json");
    const out = await guardGuess(c, "login", email, () => passwordAuth(c.var.cognito, email, password));
    return answerAuth(c, out, email);
  })
  .post("/refresh", readJson({ optional: true }), validate("json", RefreshBody), async (c) => {
    const presented = refreshTokenOf(c, c.req.valid("json").refreshToken);
    if (!presented) throw new AuthError("invalid_refresh_token", "No refresh token was presented.");
    return answerAuth(c, await refreshSession(c, presented));
  })
  .post("/logout", requireAuth(), readJson({ optional: true }), validate("json", LogoutBody), async (c) => {
    const body = c.req.valid("json");
    const presented = refreshTokenOf(c, body.refreshToken);
    // Without a refresh token to revoke, the only way to end the session is to end them all.
    if (body.global || !presented) await signOutEverywhere(c, c.var.auth);
    else await signOutSession(c, c.var.auth, presented);
    clearRefreshCookie(c);
    return c.body(null, 204);
  });
