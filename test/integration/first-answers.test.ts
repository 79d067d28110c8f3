// The first answers of a sign-in are the same for every account, known or
// not, whatever factors it has, on a pool that offers every first factor and
// on one that offers only a password and passkeys: status, headers, body, and
// a session of one length with nothing readable inside.
import { describe, expect, it } from "vitest";
import { type Account, createAccount, type PoolName, poolEnv } from "../support/accounts";
import { SESSION_LENGTH } from "../../src/seal/session";
import { WRONG_PASSWORD } from "../support/secrets";
import { newEmail, send, type SendOptions } from "../support/worker";
import { newPhone } from "../support/user-auth";

/** FIRST_FACTORS of each pool, as its configuration names them. */
const FIRST_FACTORS: Record<PoolName, string> = { main: "password,email_otp,sms_otp,passkey", passwordPasskey: "password,passkey" };

/** What a client can tell of an answer: status, headers but the request id, the body but the session's bytes, and the session's looks. */
async function observable(res: Response) {
  const { session, credentialRequestOptions, ...body } = (await res.json()) as Record<string, unknown>;
  const headers = [...res.headers].filter(([name]) => name !== "x-request-id");
  let looks: unknown;
  if (typeof session === "string") {
    const bytes = atob(session.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(session.length / 4) * 4, "="));
    looks = { length: session.length, base64url: /^[\w-]+$/.test(session), readable: /CognitoUserPools|aws-kms|arn:aws/.test(bytes) };
  }
  const options = credentialRequestOptions as Record<string, unknown> | undefined;
  // The WebAuthn challenge is random, but its length and alphabet are not.
  const request = options && { ...options, challenge: String(options.challenge).replace(/[\w-]/g, "x") };
  // A masked destination repeats the last digits of what the client typed, which differ from number to number.
  const delivery = body.delivery as { destination: string } | undefined;
  if (delivery) body.delivery = { ...delivery, destination: delivery.destination.replace(/\d/g, "#") };
  return { status: res.status, headers, body, looks, request };
}

/** The accounts of unlike shapes a pool can have. */
async function accountsOf(pool: PoolName): Promise<Account[]> {
  const shapes = [{}, { phone: true }, { passkey: true }, { phone: true, passkey: true }, ...(pool === "main" ? [{ password: null }] : [])];
  return Promise.all(shapes.map((shape) => createAccount({ pool, ...shape })));
}

describe.each<PoolName>(["main", "passwordPasskey"])("first answers on the %s pool", (pool) => {
  const options: SendOptions = { env: { ...poolEnv(pool), FIRST_FACTORS: FIRST_FACTORS[pool] } };
  const login = async (json: Record<string, unknown>) => observable(await send("/auth/login", { ...options, json }));

  it.each<[string, Record<string, string>]>([
    ["the choice", {}],
    ["a code by email", { method: "email_otp" }],
    ["a code by SMS", { method: "sms_otp" }],
    ["a passkey", { method: "passkey" }],
    ["a wrong password through the choice", { method: "password", password: WRONG_PASSWORD }],
  ])("are alike for unknown accounts and accounts of every shape: %s", async (_case, extra) => {
    const known = await accountsOf(pool);
    const strangers = Array.from({ length: 6 }, () => newEmail("account"));
    const byEmail = [...known.map((a) => String(a.email)), ...strangers];
    const answers = await Promise.all(byEmail.map((email) => login({ email, ...extra })));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    if (answers[0].status === 200) expect(answers[0].looks).toEqual({ length: SESSION_LENGTH, base64url: true, readable: false });
    // And by phone number: the accounts that have one, and numbers no account has.
    const phones = [...known.flatMap((a) => (a.phone ? [a.phone] : [])), newPhone(), newPhone()];
    const byPhone = await Promise.all(phones.map((phone) => login({ phone, ...extra })));
    for (const answer of byPhone) expect(answer).toEqual(byPhone[0]);
  });
});

describe.each<PoolName>(["main", "passwordPasskey"])("second answers on the %s pool", (pool) => {
  const options: SendOptions = { env: { ...poolEnv(pool), FIRST_FACTORS: FIRST_FACTORS[pool] } };

  /** The choice's session for `email`, then `json` answered at SELECT_CHALLENGE or at the step `json.challenge`. */
  async function secondAnswer(email: string, first: Record<string, string>, json: Record<string, unknown>) {
    const started = await send("/auth/login", { ...options, json: { email, ...first } });
    const { challenge, session } = (await started.json()) as { challenge: string; session: string };
    return observable(await send("/auth/challenge", { ...options, json: { email, challenge, session, ...json } }));
  }

  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    ["a wrong password at the choice", {}, { method: "password", password: WRONG_PASSWORD }],
    ["a code of letters", { method: "email_otp" }, { code: "12ab34cd" }],
  ])("are alike for unknown accounts and accounts of every shape: %s", async (_case, first, json) => {
    const known = await accountsOf(pool);
    const emails = [...known.map((a) => String(a.email)), ...Array.from({ length: 4 }, () => newEmail("account"))];
    const answers = await Promise.all(emails.map((email) => secondAnswer(email, first, json)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0].status).toBeGreaterThanOrEqual(400);
  });
});
