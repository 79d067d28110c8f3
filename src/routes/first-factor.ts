// Choice-based sign-in (USER_AUTH): its first answers, shaped alike for every
// account. With PreventUserExistenceErrors, Cognito answers an unknown user's
// USER_AUTH with "a random selection from the challenge types" the pool
// allows (developer guide, "Managing user existence error responses"): a
// passkey, code or password challenge where a known user gets the one asked
// for. Passed on as it is, that answer tells who has an account. So the
// answer for a method is always that method's challenge, in the same shape:
// the destination of a code is masked from what the client typed (never
// Cognito's, which only a real account has), a passkey request never lists
// the account's credentials and carries the pool's settings as Cognito sent
// them last, and a choice offers what most accounts have when Cognito
// offered none. A session Cognito issued for something else
// fails at the next step like a wrong code, as a real one does; where Cognito
// gave none, the Worker's own has the shape of Cognito's (session-shape.ts).
import type { Context } from "hono";
import type { ChallengeAnswer, Delivery } from "../answers";
import type { AuthResponse } from "../cognito/schemas";
import { randomBase64url } from "../crypto";
import { AuthError, isOutage } from "../errors";
import { maskEmail, maskPhone } from "../masks";
import type { Method } from "../schemas";
import type { AppEnv } from "../types";
import { SessionShape } from "./session-shape";

/** Who signs in: the email address or the phone number the client typed (Cognito's USERNAME). */
export interface Identity {
  kind: "email" | "phone";
  value: string;
}

export const identityOf = (body: { email?: string; phone?: string }): Identity =>
  body.email !== undefined ? { kind: "email", value: body.email } : { kind: "phone", value: body.phone ?? "" };

/** Cognito's challenge name of each first factor. */
export const FACTOR: Record<Method, string> = { password: "PASSWORD", email_otp: "EMAIL_OTP", sms_otp: "SMS_OTP", passkey: "WEB_AUTHN" };
const METHOD_OF = new Map(Object.entries(FACTOR).map(([method, factor]) => [factor, method as Method]));

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


/** Cognito's sessions as seen in this isolate: one of the Worker's own takes their shape. */
const sessions = new SessionShape();

/**
 * The pool's part of Cognito's request options (relying party, timeout, user
 * verification), as Cognito last sent them in this isolate: an answer of the
 * Worker's own repeats it, so that it looks like Cognito's.
 */
let poolOptions: Record<string, unknown> = { timeout: 180_000, userVerification: "preferred" };
/** The length of Cognito's last WebAuthn challenge (base64url; 32 bytes until one is seen): one of the Worker's own has it too. */
let challengeLength = 43;

/** Cognito's CREDENTIAL_REQUEST_OPTIONS as an object, without the account's credential ids (discoverable passkeys need none). */
function requestOptions(out: AuthResponse): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(out.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? "");
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      const { allowCredentials: _, challenge, ...pool } = parsed as Record<string, unknown>;
      poolOptions = pool;
      if (typeof challenge === "string" && challenge.length <= 1024) challengeLength = challenge.length;
      return { challenge, ...pool };
    }
  } catch {
    // not JSON: an unexpected answer, below
  }
  throw new AuthError("upstream_unavailable", { cause: { reason: "credential request options" } });
}

/**
 * Runs `step`, a USER_AUTH step that should lead to `expected`, and answers that
 * challenge whatever Cognito answered, except an outage or throttling (thrown).
 */
export async function firstFactor(expected: Expected, identity: Identity, step: () => Promise<AuthResponse>): Promise<ChallengeAnswer> {
  let out: AuthResponse | undefined;
  try {
    out = await step();
  } catch (err) {
    if (isOutage(err) || (err instanceof AuthError && err.code === "too_many_requests")) throw err;
  }
  const real = out?.ChallengeName === expected ? out : undefined;
  if (out?.Session) sessions.learn(out.Session);
  const session = out?.Session ?? sessions.make();
  if (expected === "SELECT_CHALLENGE") {
    const offered = (real?.AvailableChallenges ?? []).flatMap((name) => METHOD_OF.get(name) ?? []);
    const methods: Method[] = real ? offered : ["password", identity.kind === "email" ? "email_otp" : "sms_otp"];
    return { challenge: expected, session, methods };
  }
  if (expected === "WEB_AUTHN") {
    const options = real ? requestOptions(real) : { challenge: randomBase64url(challengeLength).slice(0, challengeLength), ...poolOptions };
    return { challenge: expected, session, credentialRequestOptions: options };
  }
  return { challenge: expected, session, delivery: deliveryOf(expected, identity) };
}

/** Answers a challenge (it carries a session: no-store). */
export function challengeResponse(c: Context<AppEnv>, answer: ChallengeAnswer): Response {
  c.header("Cache-Control", "no-store");
  return c.json(answer, 200);
}

/** A refusal of a step after the first, as the account's own: `code` whatever Cognito said (wrong answer, or a session it never gave this challenge). */
export function refusedAs<T>(code: "code_mismatch" | "invalid_credentials", detail: string) {
  return (err: unknown): T => {
    const refusal = err instanceof AuthError && ["code_mismatch", "code_expired", "invalid_session", "invalid_credentials"].includes(err.code);
    throw refusal ? new AuthError(code, detail, { cause: { reason: err.code } }) : err;
  };
}
