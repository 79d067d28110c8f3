import { Hono } from "hono/tiny";
import type { Accepted, ChallengeAnswer, Confirmed, Registered } from "../answers";
import { assertWritable } from "../attributes";
import { choiceAuth, passwordAuth, refreshAuth, resendConfirmationCode, signUp } from "../cognito/auth-ops";
import { type AuthResponse, toDelivery } from "../cognito/schemas";
import { AuthError, internalError, isOutage } from "../errors";
import { readJson, validate } from "../middleware/json-body";
import { requireAuth } from "../middleware/require-auth";
import { CHALLENGES, IdentityBody, LoginBody, LogoutBody, RefreshBody, RegisterBody, VerifyBody } from "../schemas";
import { signOutEverywhere, signOutSession } from "../session/end";
import { clearRefreshCookie, refreshTokenOf, unwrapRefreshToken } from "../session/refresh-token";
import { deliverTokens } from "../session/tokens";
import { countRequest, guardGuess, trustDevice } from "../limits/enforce";
import type { AppEnv } from "../types";
import type { Context } from "hono";
import { confirm, signInConfirmed } from "./confirm";
import { challengeResponse, expectedOf, FACTOR, firstFactor, identityOf } from "./first-factor";

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
    const { email, phone, password, name, attributes } = c.req.valid("json");
    assertWritable(c.var.config, attributes);
    // The email address is the username when there is one; the phone number signs in too.
    const username = email ?? phone ?? "";
    await countRequest(c, "register", username);
    const contact = { ...(email === undefined ? {} : { email }), ...(phone === undefined ? {} : { phone_number: phone }) };
    const out = await signUp(c.var.cognito, username, password, { ...attributes, name, ...contact });
    const delivery = toDelivery(out.CodeDeliveryDetails);
    if (out.Session) c.header("Cache-Control", "no-store");
    return c.json({ userSub: out.UserSub, confirmed: out.UserConfirmed, delivery, session: out.Session } satisfies Registered, 201);
  })
  .post("/verify", readJson(), validate("json", VerifyBody), async (c) => {
    const body = c.req.valid("json");
    const { value: username } = identityOf(body);
    const out = await guardGuess(c, "verify", username, () => confirm(c, username, body.code, body.session));
    // Cognito may hand out the session to anyone with the code: only the client that registered signs in (confirm.ts).
    const signedIn = body.session && out.Session && (await signInConfirmed(c, username, out.Session));
    return signedIn || c.json({ confirmed: true } satisfies Confirmed, 200);
  })
  .post("/resend-code", readJson(), validate("json", IdentityBody), async (c) => {
    // Same answer for known, unknown and already confirmed accounts: no enumeration.
    const { value: username } = identityOf(c.req.valid("json"));
    await countRequest(c, "resend-code", username);
    try {
      await resendConfirmationCode(c.var.cognito, username);
    } catch (err) {
      if (isOutage(err)) throw err;
    }
    return c.json({} satisfies Accepted, 202);
  })
  .post("/login", readJson(), validate("json", LoginBody), async (c) => {
    const { password, method, ...who } = c.req.valid("json");
    const { value: username } = identityOf(who);
    const cognito = c.var.cognito;
    if (password !== undefined) {
      const params = { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: password };
      const attempt = () => (method ? choiceAuth(cognito, username, params) : passwordAuth(cognito, username, password));
      return answerAuth(c, await guardGuess(c, "login", username, attempt), username);
    }
    // Choice-based: nothing is guessed yet, but a code may be sent, which counts like resend-code.
    const wanted = method === "password" ? undefined : method;
    const expected = expectedOf(wanted);
    if (expected === "EMAIL_OTP" || expected === "SMS_OTP") await countRequest(c, "send-code", username);
    const params: Record<string, string> = wanted ? { PREFERRED_CHALLENGE: FACTOR[wanted] } : {};
    const answer = await guardGuess(c, "login", username, () => firstFactor(expected, identityOf(who), () => choiceAuth(cognito, username, params)));
    return challengeResponse(c, answer);
  })
  .post("/refresh", readJson({ optional: true }), validate("json", RefreshBody), async (c) => {
    const presented = refreshTokenOf(c, c.req.valid("json").refreshToken);
    if (!presented) throw new AuthError("invalid_refresh_token", "No refresh token was presented.");
    const { username, token } = unwrapRefreshToken(presented);
    if (c.var.config.clientSecret && !username) {
      throw new AuthError("invalid_refresh_token", "The refresh token is missing, revoked or expired.");
    }
    const out = await refreshAuth(c.var.cognito, username ?? "", token);
    return answerAuth(c, out);
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
