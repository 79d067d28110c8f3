// Helpers of the choice-based sign-in, passwordless and phone tests: phone
// numbers, the codes the Cognito stand-in "sent", and the steps of a sign-in.
import { expect } from "vitest";
import { lastCode, send, type SendOptions, type Tokens } from "./worker";

export { lastCode } from "./worker";

/** A fictional US number (+1 555 …) of its own; log-secrecy.ts looks for these. */
export const newPhone = () => `+1555${String(crypto.getRandomValues(new Uint32Array(1))[0] % 10_000_000).padStart(7, "0")}`;

/** A challenge answer (docs/API.md) as the tests read it. */
export interface Challenged {
  challenge: string;
  session: string;
  methods?: string[];
  delivery?: { medium: string; destination: string };
  credentialRequestOptions?: Record<string, unknown>;
}

/** POST /auth/login that must answer a challenge (200, no-store); returns it. */
export async function challenged(json: Record<string, unknown>, options: SendOptions = {}): Promise<Challenged> {
  const res = await send("/auth/login", { ...options, json });
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  return (await res.json()) as Challenged;
}

/** POST /auth/challenge with the identity and the challenge's name and session. */
export const answer = (who: Record<string, string>, got: Challenged, json: Record<string, unknown>, options: SendOptions = {}) =>
  send("/auth/challenge", { ...options, json: { ...who, challenge: got.challenge, session: got.session, ...json } });

/** Signs in with a one-time code to `to` (the account's email address or phone number); returns the tokens. */
export async function signInWithCode(who: Record<string, string>, method: "email_otp" | "sms_otp", to: string): Promise<Tokens> {
  const got = await challenged({ ...who, method });
  const res = await answer(who, got, { code: await lastCode(to) });
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
}

/** Registers (and confirms with the code sent) an account; `password` undefined: passwordless. */
export async function registered(body: { email?: string; phone?: string; password?: string }, options: { verify?: boolean } = {}) {
  const res = await send("/auth/register", { json: { ...body, name: "Test User" } });
  expect(res.status).toBe(201);
  const registration = (await res.json()) as { session?: string; delivery?: { medium: string; destination: string } };
  if (options.verify !== false) {
    const who = body.email !== undefined ? { email: body.email } : { phone: body.phone };
    const to = body.phone ?? body.email ?? "";
    const verified = await send("/auth/verify", { json: { ...who, code: await lastCode(to) } });
    expect(verified.status).toBe(200);
  }
  return registration;
}
