import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type * as z from "zod/mini";
import type { MfaSetupChallenge } from "../answers";
import { respondToAuthChallenge } from "../cognito/auth-ops";
import { associateSoftwareToken, otpauthUri, verifySoftwareToken } from "../cognito/mfa-ops";
import { isCognitoSession } from "../cognito/schemas";
import { AuthError } from "../errors";
import { jsonBody } from "../middleware/json-body";
import { ChallengeBody } from "../schemas";
import { countRequest, guardGuess } from "../limits/enforce";
import { answerAuth } from "../session/issue";
import type { AppEnv } from "../types";
import { challengeResponse, expectedOf, FACTOR, firstFactor, type Identity, identityOf, refusedAs } from "./first-factor";

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

/** MFA_SETUP: the first call (no code) hands out the secret; the second proves it and signs in. */
async function setUpMfa(c: Context<AppEnv>, body: Body, identity: Identity): Promise<Response> {
  const cognito = c.var.cognito;
  if (body.code === undefined) {
    const { SecretCode, Session } = await associateSoftwareToken(cognito, { Session: body.session });
    if (!Session) throw new AuthError("invalid_session");
    c.header("Cache-Control", "no-store");
    const uri = otpauthUri(c.var.config.totpIssuer, identity.value, SecretCode);
    return c.json({ challenge: "MFA_SETUP", session: Session, secret: SecretCode, otpauthUri: uri } satisfies MfaSetupChallenge, 200);
  }
  const verified = await verifySoftwareToken(cognito, { Session: body.session }, body.code);
  if (verified.Status !== "SUCCESS" || !verified.Session) throw new AuthError("code_mismatch");
  return answerAuth(c, await respondToAuthChallenge(cognito, identity.value, "MFA_SETUP", verified.Session, {}), identity.value);
}

/**
 * SELECT_CHALLENGE: the chosen method. The password is a guess like login's; a
 * code or passkey leads to its challenge, answered alike for every account.
 */
async function select(c: Context<AppEnv>, body: Body, identity: Identity): Promise<Response> {
  const respond = (responses: Record<string, string>) =>
    respondToAuthChallenge(c.var.cognito, identity.value, "SELECT_CHALLENGE", body.session, responses);
  if (body.method === "password" || body.method === undefined) {
    const out = await respond({ ANSWER: "PASSWORD", PASSWORD: body.password ?? "" }).catch(
      refusedAs<never>("invalid_credentials", "Incorrect email or password."),
    );
    return answerAuth(c, out, identity.value);
  }
  const expected = expectedOf(body.method);
  if (expected === "EMAIL_OTP" || expected === "SMS_OTP") await countRequest(c, "send-code", identity.value);
  return challengeResponse(c, await firstFactor(expected, identity, () => respond({ ANSWER: FACTOR[body.method ?? "passkey"] })));
}

/** Answers one challenge of a sign-in. */
async function answer(c: Context<AppEnv>, body: Body, identity: Identity): Promise<Response> {
  const cognito = c.var.cognito;
  const { challenge, session } = body;
  if (challenge === "MFA_SETUP") return setUpMfa(c, body, identity);
  if (challenge === "SELECT_CHALLENGE") return select(c, body, identity);
  if (challenge === "WEB_AUTHN") {
    const responses = { CREDENTIAL: JSON.stringify(body.credential) };
    const out = await respondToAuthChallenge(cognito, identity.value, challenge, session, responses).catch(
      refusedAs<never>("invalid_credentials", WRONG_PASSKEY),
    );
    return answerAuth(c, out, identity.value);
  }
  const responses = { [ANSWER_MEMBER[challenge] ?? "ANSWER"]: (challenge === "NEW_PASSWORD_REQUIRED" ? body.newPassword : body.code) ?? "" };
  const pending = respondToAuthChallenge(cognito, identity.value, challenge, session, responses);
  // A one-time code: a session Cognito refuses answers like a wrong code (it may be one it issued for another challenge).
  const out = challenge === "EMAIL_OTP" || challenge === "SMS_OTP" ? await pending.catch(refusedAs<never>("code_mismatch", WRONG_CODE)) : await pending;
  return answerAuth(c, out, identity.value);
}

/** Built by createApp on the first request, not at module load (startup CPU). */
export const challengeRoutes = () =>
  new Hono<AppEnv>().post("/challenge", jsonBody(ChallengeBody), async (c) => {
    const body = c.req.valid("json");
    const identity = identityOf(body);
    // A wrong or expired code, password, passkey or session counts against the account; success gives the attempt back.
    // The password of a SELECT_CHALLENGE is a password guess as at /auth/login, so it draws on login's budget, not a second one.
    const action = body.challenge === "SELECT_CHALLENGE" && body.method === "password" ? "login" : "challenge";
    return guardGuess(c, action, identity.value, async () => {
      if (!isCognitoSession(body.session)) throw new AuthError("invalid_session");
      return answer(c, body, identity);
    });
  });
