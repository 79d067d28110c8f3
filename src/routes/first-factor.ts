// Choice-based sign-in (USER_AUTH): its first answers, alike for every
// account. With PreventUserExistenceErrors, Cognito answers an unknown user's
// USER_AUTH with "a random selection from the challenge types" the pool
// allows (developer guide, "Managing user existence error responses"): a
// passkey, code or password challenge where a known user gets the one asked
// for. Passed on as it is, that answer tells who has an account. So the
// answer for a method is always that method's challenge, in one shape: the
// choice offers the configured first factors (FIRST_FACTORS), the destination
// of a code is masked from what the client typed (never Cognito's, which only
// a real account has), a passkey request carries the configured relying
// party and never the account's credentials, and the session is sealed
// (seal/session.ts): with Cognito's for the step asked for, else without one
// (a decoy, alike to all but the Worker), which then fails at the next step
// like a wrong code.
import type { Context } from "hono";
import type { ChallengeAnswer, Delivery } from "../answers";
import { isAccountOnly } from "../cognito/errors";
import type { AuthResponse } from "../cognito/schemas";
import type { Config } from "../config";
import { randomBase64url } from "../crypto";
import { AuthError, isOutage } from "../errors";
import { maskEmail, maskPhone } from "../masks";
import type { Method } from "../schemas";
import { sealFor } from "../seal/context";
import type { AppEnv } from "../types";

/** Who signs in: the email address or the phone number the client typed (Cognito's USERNAME). */
export interface Identity {
  kind: "email" | "phone";
  value: string;
}

export const identityOf = (body: { email?: string; phone?: string }): Identity =>
  body.email !== undefined ? { kind: "email", value: body.email } : { kind: "phone", value: body.phone ?? "" };

/** Cognito's challenge name of each first factor. */
export const FACTOR: Record<Method, string> = { password: "PASSWORD", email_otp: "EMAIL_OTP", sms_otp: "SMS_OTP", passkey: "WEB_AUTHN" };

/** The challenges a first answer can be, besides tokens. */
export type Expected = "SELECT_CHALLENGE" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";

/** The challenge a method other than the password leads to; none: the choice. */
export const expectedOf = (method: Exclude<Method, "password"> | undefined): Expected =>
  method === undefined ? "SELECT_CHALLENGE" : method === "email_otp" ? "EMAIL_OTP" : method === "sms_otp" ? "SMS_OTP" : "WEB_AUTHN";

/** Where a code went: masked from what the client typed when the code went there, else the medium alone. */
function deliveryOf(expected: "EMAIL_OTP" | "SMS_OTP", identity: Identity): Delivery {
  if (expected === "EMAIL_OTP") return { medium: "EMAIL", destination: identity.kind === "email" ? maskEmail(identity.value) : "***@***" };
  return { medium: "SMS", destination: identity.kind === "phone" ? maskPhone(identity.value) : "+***" };
}

/** The length of Cognito's last WebAuthn challenge (base64url; 32 bytes until one is seen): one of the Worker's own has it too. */
let challengeLength = 43;

/** Cognito's WebAuthn challenge out of its CREDENTIAL_REQUEST_OPTIONS; everything else there is the account's or the pool's. */
function cognitoChallenge(out: AuthResponse): string {
  try {
    const parsed: unknown = JSON.parse(out.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? "");
    const challenge = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>).challenge : undefined;
    if (typeof challenge === "string" && /^[\w-]{16,1024}$/.test(challenge)) {
      challengeLength = challenge.length;
      return challenge;
    }
  } catch {
    // not JSON: an unexpected answer, below
  }
  throw new AuthError("upstream_unavailable", { cause: { reason: "credential request options" } });
}

/** A passkey request: the challenge, then the configured relying party, timeout and user verification, in one order for every account. */
function requestOptions(config: Config, challenge: string): Record<string, unknown> {
  const { rpId, timeoutMs, userVerification } = config.passkey;
  return { challenge, ...(rpId ? { rpId } : {}), timeout: timeoutMs, userVerification };
}

/**
 * Runs `step`, a USER_AUTH step that should lead to `expected`, and answers that
 * challenge whatever Cognito answered, except an outage or throttling of the
 * pool (thrown). Without `step` (a decoy's next step, or a session that did
 * not open), the answer is an unknown account's.
 */
export async function firstFactor(
  config: Config,
  expected: Expected,
  identity: Identity,
  step?: () => Promise<AuthResponse>,
): Promise<ChallengeAnswer> {
  let out: AuthResponse | undefined;
  try {
    out = await step?.();
  } catch (err) {
    if (isPoolWide(err)) throw err;
  }
  const real = out?.ChallengeName === expected && out.Session ? out : undefined;
  const session = await sealFor(config, expected, identity.value, real?.Session);
  if (expected === "SELECT_CHALLENGE") return { challenge: expected, session, methods: config.firstFactors };
  if (expected === "WEB_AUTHN") {
    const challenge = real ? cognitoChallenge(real) : randomBase64url(challengeLength).slice(0, challengeLength);
    return { challenge: expected, session, credentialRequestOptions: requestOptions(config, challenge) };
  }
  return { challenge: expected, session, delivery: deliveryOf(expected, identity) };
}

/** Answers a challenge (it carries a session: no-store). */
export function challengeResponse(c: Context<AppEnv>, answer: ChallengeAnswer): Response {
  c.header("Cache-Control", "no-store");
  return c.json(answer, 200);
}

/**
 * An outage, our own fault, or throttling of the whole pool: the same for
 * every account, so passed on. Everything else Cognito says about a step is
 * the account's own and is answered as a refused step.
 */
export const isPoolWide = (err: unknown): boolean =>
  (isOutage(err) || (err instanceof AuthError && err.code === "too_many_requests")) && !isAccountOnly(err);

/**
 * A refusal of a step after the first, answered as a decoy's is: `code`,
 * whatever Cognito said (a wrong answer, a session it never gave this
 * challenge, a factor the account lacks, a credential or code it could not
 * parse), so that no second answer tells a known account from an unknown one.
 */
export function refusedAs<T>(code: "code_mismatch" | "invalid_credentials", detail: string) {
  return (err: unknown): T => {
    if (isPoolWide(err)) throw err;
    throw new AuthError(code, detail, { cause: { reason: err instanceof AuthError ? err.code : "refused" } });
  };
}
