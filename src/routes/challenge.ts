import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type * as z from "zod/mini";
import type { MfaSetupChallenge } from "../answers";
import { respondToAuthChallenge } from "../cognito/auth-ops";
import { associateSoftwareToken, otpauthUri, verifySoftwareToken } from "../cognito/mfa-ops";
import type { AuthResponse } from "../cognito/schemas";
import { AuthError } from "../errors";
import { limitIp, countRequest, guardGuess } from "../limits/enforce";
import { jsonBody } from "../middleware/json-body";
import { ChallengeBody } from "../schemas";
import { openFor, sealFor } from "../seal/context";
import { assertCodeSignInAllowed } from "../session/code-sign-in";
import { answerAuth } from "../session/issue";
import type { AppEnv } from "../types";
import { acceptedAfterPassword } from "./after-password";
import { challengeResponse, expectedOf, FACTOR, firstFactor, type Identity, identityOf, refusedAs } from "./first-factor";
import { asLongAsCognito, timedStep } from "./step-timing";

type Body = z.infer<typeof ChallengeBody>;

/** The ChallengeResponses member that carries a `code` or a new password, per challenge. */
const ANSWER_MEMBER: Partial<Record<Body["challenge"], string>> = {
  SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE",
  SMS_MFA: "SMS_MFA_CODE",
  EMAIL_OTP: "EMAIL_OTP_CODE",
  SMS_OTP: "SMS_OTP_CODE",
  NEW_PASSWORD_REQUIRED: "NEW_PASSWORD",
};

const WRONG_CODE = "The code is not correct, or the sign-in has expired; request a new code if it fails again.";
const WRONG_PASSKEY = "The passkey could not be verified; sign in again.";
const WRONG_PASSWORD = "Incorrect email or password.";

/** MFA_SETUP: the first call (no code) hands out the secret; the second proves it and signs in. */
async function setUpMfa(c: Context<AppEnv>, body: Body, identity: Identity, session: string): Promise<Response> {
  const cognito = c.var.cognito;
  if (body.code === undefined) {
    const { SecretCode, Session } = await associateSoftwareToken(cognito, { Session: session });
    if (!Session) throw new AuthError("invalid_session");
    c.header("Cache-Control", "no-store");
    const uri = otpauthUri(c.var.config.totpIssuer, identity.value, SecretCode);
    const sealed = await sealFor(c.var.config, "MFA_SETUP", identity.value, Session);
    return c.json({ challenge: "MFA_SETUP", session: sealed, secret: SecretCode, otpauthUri: uri } satisfies MfaSetupChallenge, 200);
  }
  const verified = await verifySoftwareToken(cognito, { Session: session }, body.code);
  if (verified.Status !== "SUCCESS" || !verified.Session) throw new AuthError("code_mismatch");
  return answerAuth(c, await respondToAuthChallenge(cognito, identity.value, "MFA_SETUP", verified.Session, {}), identity.value);
}

/** The kind of step (step-timing.ts): the challenge, and for a choice the method chosen. */
const kindOf = (body: Body) => (body.challenge === "SELECT_CHALLENGE" ? `SELECT_CHALLENGE:${body.method}` : body.challenge);

/**
 * A one-time code as Cognito issues them (6 to 8 digits): anything else is
 * refused before Cognito is asked, for a real session and a decoy alike, so
 * that Cognito's own refusal of a malformed code tells nothing.
 */
const OTP = /^\d{6,8}$/;

/** The answer a refused step gets, given without asking Cognito but in about the time Cognito takes. */
async function refuseWithoutCognito(body: Body): Promise<never> {
  const { challenge, method } = body;
  await asLongAsCognito(kindOf(body));
  if (challenge === "EMAIL_OTP" || challenge === "SMS_OTP") throw new AuthError("code_mismatch", WRONG_CODE);
  if (challenge === "WEB_AUTHN") throw new AuthError("invalid_credentials", WRONG_PASSKEY);
  if (challenge === "SELECT_CHALLENGE" && method === "password") throw new AuthError("invalid_credentials", WRONG_PASSWORD);
  throw new AuthError("invalid_session");
}

/**
 * SELECT_CHALLENGE: the chosen method. The password is a guess like login's; a
 * code or passkey leads to its challenge, answered alike for every account.
 * Without `session` (a decoy's), Cognito is not asked.
 */
async function select(c: Context<AppEnv>, body: Body, identity: Identity, session?: string): Promise<Response> {
  if (session === undefined && body.method === "password") return refuseWithoutCognito(body);
  const respond = (cognitoSession: string, responses: Record<string, string>) =>
    timedStep(kindOf(body), () => respondToAuthChallenge(c.var.cognito, identity.value, "SELECT_CHALLENGE", cognitoSession, responses));
  if (session !== undefined && body.method === "password") {
    const out = await respond(session, { ANSWER: "PASSWORD", PASSWORD: body.password ?? "" })
      .then(acceptedAfterPassword)
      .catch(refusedAs<AuthResponse>("invalid_credentials", WRONG_PASSWORD));
    return answerAuth(c, out, identity.value);
  }
  const expected = expectedOf(body.method === "password" ? undefined : body.method);
  if (expected === "EMAIL_OTP" || expected === "SMS_OTP") await countRequest(c, "send-code", { account: identity.value, to: [identity.value], sms: expected === "SMS_OTP" });
  if (session === undefined) await asLongAsCognito(kindOf(body));
  const step = session === undefined ? undefined : () => respond(session, { ANSWER: FACTOR[body.method ?? "passkey"] });
  return challengeResponse(c, await firstFactor(c.var.config, expected, identity, step));
}

/** Answers one challenge of a sign-in with Cognito's `session` (unsealed); without one (a decoy's), as a refused step. */
async function answer(c: Context<AppEnv>, body: Body, identity: Identity, session?: string): Promise<Response> {
  const { challenge } = body;
  if (challenge === "SELECT_CHALLENGE") return select(c, body, identity, session);
  const malformedCode = (challenge === "EMAIL_OTP" || challenge === "SMS_OTP") && !OTP.test(body.code ?? "");
  if (session === undefined || malformedCode) return refuseWithoutCognito(body);
  const cognito = c.var.cognito;
  if (challenge === "MFA_SETUP") return setUpMfa(c, body, identity, session);
  if (challenge === "WEB_AUTHN") {
    const responses = { CREDENTIAL: JSON.stringify(body.credential) };
    const out = await timedStep(challenge, () => respondToAuthChallenge(cognito, identity.value, challenge, session, responses)).catch(
      refusedAs<never>("invalid_credentials", WRONG_PASSKEY),
    );
    return answerAuth(c, out, identity.value);
  }
  const responses = { [ANSWER_MEMBER[challenge] ?? "ANSWER"]: (challenge === "NEW_PASSWORD_REQUIRED" ? body.newPassword : body.code) ?? "" };
  const pending = timedStep(challenge, () => respondToAuthChallenge(cognito, identity.value, challenge, session, responses));
  if (challenge !== "EMAIL_OTP" && challenge !== "SMS_OTP") return answerAuth(c, await pending, identity.value);
  // A one-time code: a session Cognito refuses answers like a wrong code (it may be one it issued for another challenge).
  const out = await pending.catch(refusedAs<never>("code_mismatch", WRONG_CODE));
  // Cognito asks no MFA after a code: it does not sign in an account that has TOTP or a passkey (session/code-sign-in.ts).
  if (out.AuthenticationResult) await assertCodeSignInAllowed(c, out.AuthenticationResult);
  return answerAuth(c, out, identity.value);
}

/** Built by createApp on the first request, not at module load (startup CPU). */
export const challengeRoutes = () =>
  new Hono<AppEnv>().post("/challenge", jsonBody(ChallengeBody), async (c) => {
    const body = c.req.valid("json");
    const identity = identityOf(body);
    // The password of a SELECT_CHALLENGE is a password guess as at /auth/login, so it draws on login's budget, not a second one.
    const action = body.challenge === "SELECT_CHALLENGE" && body.method === "password" ? "login" : "challenge";
    // Only a session this Worker sealed, for this step and this username, speaks for the account.
    const opened = await openFor(c, body.session, body.challenge, identity.value);
    if (!opened) {
      // A forged, altered or expired session spends the client's budget, never the named account's.
      await limitIp(c, action);
      return refuseWithoutCognito(body);
    }
    // A wrong or expired code, password or passkey counts against the account (a decoy's as a real one's); success gives the attempt back.
    return guardGuess(c, action, opened.username, () => answer(c, body, identity, opened.cognito));
  });
