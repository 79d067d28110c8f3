import { Hono } from "hono/tiny";
import type { Accepted, Confirmed, Registered } from "../answers";
import { choiceAuth, passwordAuth, resendConfirmationCode, signUp } from "../cognito/auth-ops";
import { isAccountOnly, unlessPoolWide } from "../cognito/errors";
import { toDelivery } from "../cognito/schemas";
import { AuthError } from "../errors";
import { jsonBody } from "../middleware/json-body";
import { limitPerIp, limitPerUser } from "../middleware/limits";
import { requireAuth } from "../middleware/require-auth";
import { assertWritable } from "../profile";
import { IdentityBody, LoginBody, LogoutBody, RefreshBody, RegisterBody, VerifyBody } from "../schemas";
import { logOut } from "../session/end";
import { refreshTokenOf } from "../session/refresh-cookie";
import { refreshSession } from "../session/refresh";
import { answerAuth } from "../session/issue";
import { countRequest, guardGuess } from "../limits/enforce";
import { openFor, sealFor } from "../seal/context";
import type { AppEnv } from "../types";
import { acceptedAfterPassword } from "./after-password";
import { confirm, signInConfirmed } from "./confirm";
import { challengeResponse, expectedOf, FACTOR, firstFactor, identityOf } from "./first-factor";

/** Built by createApp on the first request, not at module load (startup CPU). */
export const authRoutes = () =>
  new Hono<AppEnv>()
  .post("/register", jsonBody(RegisterBody), async (c) => {
    const { email, phone, password, name, attributes } = c.req.valid("json");
    assertWritable(c.var.config, attributes);
    // The email address is the username when there is one; the phone number signs in too.
    const username = email ?? phone ?? "";
    // The code goes by SMS when there is a phone number: the number counts too, whatever email comes with it.
    await countRequest(c, "register", { account: username, to: [email, phone].flatMap((contact) => contact ?? []), sms: phone !== undefined });
    const contact = { ...(email === undefined ? {} : { email }), ...(phone === undefined ? {} : { phone_number: phone }) };
    const out = await signUp(c.var.cognito, username, password, { ...attributes, name, ...contact });
    const delivery = toDelivery(out.CodeDeliveryDetails);
    // Sealed for this username: only the client that registered can sign in on confirmation (confirm.ts).
    const session = out.Session && (await sealFor(c.var.config, "register", username, out.Session));
    if (session) c.header("Cache-Control", "no-store");
    return c.json({ userSub: out.UserSub, confirmed: out.UserConfirmed, delivery, session } satisfies Registered, 201);
  })
  .post("/verify", jsonBody(VerifyBody), async (c) => {
    const body = c.req.valid("json");
    const { value: username } = identityOf(body);
    // Only register's session, sealed here for this username and unexpired, signs in; any other only confirms.
    const sealed = body.session === undefined ? undefined : await openFor(c, body.session, "register", username);
    const out = await guardGuess(c, "verify", username, () => confirm(c, username, body.code, sealed?.cognito));
    const signedIn = sealed && out.Session && (await signInConfirmed(c, username, out.Session));
    return signedIn || c.json({ confirmed: true } satisfies Confirmed, 200);
  })
  .post("/resend-code", jsonBody(IdentityBody), async (c) => {
    // Same answer for known, unknown and already confirmed accounts: no enumeration.
    const body = c.req.valid("json");
    const { value: username } = identityOf(body);
    // By phone number, the code goes by SMS to it; by email, to the address (or the account's number, unknown here).
    await countRequest(c, "resend-code", { account: username, to: [username], sms: body.phone !== undefined });
    await resendConfirmationCode(c.var.cognito, username).catch(unlessPoolWide("resend-code"));
    return c.json({} satisfies Accepted, 202);
  })
  .post("/login", jsonBody(LoginBody), async (c) => {
    const { password, method, ...who } = c.req.valid("json");
    const { value: username } = identityOf(who);
    const cognito = c.var.cognito;
    if (password !== undefined) {
      const params = { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: password };
      const attempt = async () => {
        try {
          return method ? acceptedAfterPassword(await choiceAuth(cognito, username, params)) : await passwordAuth(cognito, username, password);
        } catch (err) {
          // A pre-authentication Lambda refuses existing accounts only: answered as a wrong password.
          if (isAccountOnly(err)) throw new AuthError("invalid_credentials", { cause: { reason: "account-only refusal" } });
          throw err;
        }
      };
      return answerAuth(c, await guardGuess(c, "login", username, attempt), username);
    }
    // Choice-based: nothing is guessed yet, but a code may be sent, which counts like resend-code.
    const wanted = method === "password" ? undefined : method;
    const expected = expectedOf(wanted);
    if (expected === "EMAIL_OTP" || expected === "SMS_OTP") await countRequest(c, "send-code", { account: username, to: [username], sms: expected === "SMS_OTP" });
    const params: Record<string, string> = wanted ? { PREFERRED_CHALLENGE: FACTOR[wanted] } : {};
    const answer = await guardGuess(c, "login", username, () => firstFactor(c.var.config, expected, identityOf(who), () => choiceAuth(cognito, username, params)));
    return challengeResponse(c, answer);
  })
  .post("/refresh", jsonBody(RefreshBody, { optional: true }), limitPerIp("refresh"), async (c) => {
    const presented = refreshTokenOf(c, c.req.valid("json").refreshToken);
    if (!presented) throw new AuthError("invalid_refresh_token");
    return answerAuth(c, await refreshSession(c, presented));
  })
  .post("/logout", requireAuth(), jsonBody(LogoutBody, { optional: true }), limitPerUser(), async (c) => {
    const body = c.req.valid("json");
    await logOut(c, c.var.auth, refreshTokenOf(c, body.refreshToken), body.global);
    return c.body(null, 204);
  });
