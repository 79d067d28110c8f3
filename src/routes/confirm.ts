// POST /auth/verify: ConfirmSignUp, and the sign-in that follows it. Cognito
// hands out a Session on confirmation that signs the user in with USER_AUTH,
// without another secret, and AWS does not document that it refuses one
// when SignUp's session was not passed. So the Worker signs in only a
// request that also brings register's session as the Worker sealed it for
// this username (seal/session.ts), which only the client that registered
// has: a stolen or guessed code confirms the account and nothing more. The
// confirmation stands whatever the sign-in does.
import type { Context } from "hono";
import { choiceAuth, confirmSignUp } from "../cognito/auth-ops";
import { AuthError } from "../errors";
import { log } from "../log";
import { answerAuth } from "../session/issue";
import type { AppEnv } from "../types";

/**
 * ConfirmSignUp, with SignUp's `session` (Cognito's, unsealed) when the
 * client brought register's. A session Cognito refuses (expired: it lives as
 * long as a sign-in's) does not make a right code wrong: the code is tried
 * again without it.
 */
export async function confirm(c: Context<AppEnv>, username: string, code: string, session: string | undefined) {
  const alone = async () => ({ ...(await confirmSignUp(c.var.cognito, username, code)), Session: undefined });
  if (session === undefined) return alone();
  try {
    return await confirmSignUp(c.var.cognito, username, code, session);
  } catch (err) {
    if (!session || !(err instanceof AuthError) || err.code !== "invalid_session") throw err;
    return alone();
  }
}

/** The tokens answer (with `confirmed: true`) of the sign-in a confirmation's session allows, or undefined when there is none. */
export async function signInConfirmed(c: Context<AppEnv>, username: string, session: string): Promise<Response | undefined> {
  try {
    const out = await choiceAuth(c.var.cognito, username, {}, session);
    return out.AuthenticationResult ? await answerAuth(c, out, username, { confirmed: true }) : undefined;
  } catch (err) {
    // Confirmed all the same: the client signs in as usual.
    log("warn", "auto_sign_in_failed", { requestId: c.var.requestId, code: err instanceof AuthError ? err.code : "internal_error" });
    return undefined;
  }
}
