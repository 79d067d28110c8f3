import { Hono } from "hono/tiny";
import type { MfaSetupChallenge } from "../answers";
import { respondToAuthChallenge } from "../cognito/auth-ops";
import { associateSoftwareToken, otpauthUri, verifySoftwareToken } from "../cognito/mfa-ops";
import { AuthError } from "../errors";
import { jsonBody } from "../middleware/json-body";
import { type Challenge, ChallengeBody } from "../schemas";
import { guardGuess } from "../limits/enforce";
import { answerAuth } from "../session/issue";
import type { AppEnv } from "../types";

/** The ChallengeResponses member that carries the client's answer, per challenge. */
const ANSWER_MEMBER: Record<Exclude<Challenge, "MFA_SETUP">, string> = {
  SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE",
  SMS_MFA: "SMS_MFA_CODE",
  EMAIL_OTP: "EMAIL_OTP_CODE",
  NEW_PASSWORD_REQUIRED: "NEW_PASSWORD",
};

/** Built by createApp on the first request, not at module load (startup CPU). */
export const challengeRoutes = () =>
  new Hono<AppEnv>().post(
  "/challenge",
  jsonBody(ChallengeBody),
  async (c) => {
    const { email, challenge, session, code, newPassword } = c.req.valid("json");
    // A wrong or expired code or session counts against the account; success gives the attempt back.
    return guardGuess(c, "challenge", email, async () => {
      // Cognito's sessions are 20–2,048 characters (SessionType): it never issued any other, and refuses them.
      if (session.length < 20 || session.length > 2048) {
        throw new AuthError("invalid_session");
      }
      const cognito = c.var.cognito;
      if (challenge !== "MFA_SETUP") {
        const answer = challenge === "NEW_PASSWORD_REQUIRED" ? newPassword : code;
        const out = await respondToAuthChallenge(cognito, email, challenge, session, {
          [ANSWER_MEMBER[challenge]]: answer ?? "",
        });
        return answerAuth(c, out, email);
      }
      // MFA_SETUP: first call (no code) hands out the secret; second call proves it and signs in.
      if (code === undefined) {
        const { SecretCode, Session } = await associateSoftwareToken(cognito, { Session: session });
        if (!Session) throw new AuthError("invalid_session");
        c.header("Cache-Control", "no-store");
        return c.json(
          {
            challenge,
            session: Session,
            secret: SecretCode,
            otpauthUri: otpauthUri(c.var.config.totpIssuer, email, SecretCode),
          } satisfies MfaSetupChallenge,
          200,
        );
      }
      const verified = await verifySoftwareToken(cognito, { Session: session }, code);
      if (verified.Status !== "SUCCESS" || !verified.Session) throw new AuthError("code_mismatch");
      return answerAuth(c, await respondToAuthChallenge(cognito, email, challenge, verified.Session, {}), email);
    });
  },
);
