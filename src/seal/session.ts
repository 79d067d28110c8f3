// The `session` the Worker answers (register, every challenge): never
// Cognito's own, whose Encryption SDK envelope carries readable constant text
// and so tells a real session from a made-up one. Cognito's session is sealed
// under a Worker key together with the username and the step it belongs to,
// padded to one fixed length. For an account that does not exist, or a step
// Cognito refused, the same is sealed without a Cognito session: no one but
// the Worker can tell the two apart, and only the Worker's own sessions open.
// A decoy opens too, so that its next step counts against the named account
// exactly as a real one's does; it then fails like a wrong answer.
import * as z from "zod/mini";
import { base64url, fromBase64url } from "../crypto";
import { open, seal, sealedBytes } from "./aead";
import type { EdgeKeys } from "./keys";

/** What a session is for: register's confirmation, or one challenge of a sign-in. */
export type SessionStep = "register" | "SOFTWARE_TOKEN_MFA" | "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" | "NEW_PASSWORD_REQUIRED" | "MFA_SETUP" | "SELECT_CHALLENGE" | "WEB_AUTHN";

/** A session's content once opened. */
export interface OpenedSession {
  step: SessionStep;
  /** The username the step was started with (an email address or phone number). */
  username: string;
  /** Cognito's own Session; undefined in a decoy (an unknown account's, or a step Cognito refused). */
  cognito?: string;
}

/**
 * How long a sealed session opens: Cognito's longest session validity
 * (AuthSessionValidity, 3–15 minutes). Cognito's own expiry still applies.
 */
export const SESSION_LIFETIME_S = 900;
/**
 * Plaintext bytes of every session: room for Cognito's longest Session (2,048
 * characters, SessionType), the longest username (128 UTF-16 units, each at
 * most 3 bytes of UTF-8) and the field names, padded with zero bytes.
 */
const PLAINTEXT_BYTES = 2560;
/** Base64url characters of every session the Worker answers, real or not. */
export const SESSION_LENGTH = Math.ceil((sealedBytes(PLAINTEXT_BYTES) * 4) / 3);

const Content = z.lazy(() => z.object({ s: z.string(), u: z.string(), c: z.string(), e: z.number() }));
const encoder = new TextEncoder();

/** Seals Cognito's `cognito` session (none: a decoy) for `step` of `username`, bound to the app client `clientId`. */
export async function sealSession(keys: EdgeKeys, clientId: string, content: OpenedSession, now = Date.now()): Promise<string> {
  const exp = Math.floor(now / 1000) + SESSION_LIFETIME_S;
  const json = encoder.encode(JSON.stringify({ s: content.step, u: content.username, c: content.cognito ?? "", e: exp }));
  if (json.length > PLAINTEXT_BYTES) throw new RangeError("session too long to seal");
  const padded = new Uint8Array(PLAINTEXT_BYTES);
  padded.set(json);
  return base64url(await seal(keys, "session", clientId, padded));
}

/**
 * The content of a session this Worker sealed for `step` and `username` and
 * that has not expired; undefined for anything else (a forgery, another
 * step's or another username's, an expired one).
 */
export async function openSession(
  keys: EdgeKeys,
  clientId: string,
  sealed: string,
  expected: { step: SessionStep; username: string },
  now = Date.now(),
): Promise<OpenedSession | undefined> {
  if (sealed.length !== SESSION_LENGTH || !/^[\w-]+$/.test(sealed)) return undefined;
  const opened = await open(keys, "session", clientId, fromBase64url(sealed));
  if (!opened) return undefined;
  let end = opened.plaintext.length;
  while (end > 0 && opened.plaintext[end - 1] === 0) end--;
  try {
    const content = Content.parse(JSON.parse(new TextDecoder().decode(opened.plaintext.subarray(0, end))));
    const fits = content.s === expected.step && content.u === expected.username && content.e > now / 1000;
    return fits ? { step: expected.step, username: content.u, ...(content.c ? { cognito: content.c } : {}) } : undefined;
  } catch {
    return undefined;
  }
}
