// Accounts of unlike shapes on either pool of the Cognito stand-in, made
// through its control API rather than through the Worker (POST /__user,
// POST /__passkey): with an email, a verified phone number or both, with a
// password or none, with a software passkey; and the Worker's bindings for a
// pool, for this project's kind of app client. Known and unknown accounts can
// so be compared on pools that offer unlike first factors.
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import { type CreationOptionsJSON, SoftwareAuthenticator } from "./authenticator";
import { PAGE } from "./passkeys";
import type { PoolFixture } from "./provided";
import { newPhone } from "./user-auth";
import { newEmail, PASSWORD, strictControl } from "./worker";

/** "main": every first factor (the Worker's default bindings); "passwordPasskey": PASSWORD and WEB_AUTHN only. */
export type PoolName = "main" | "passwordPasskey";

/** The stand-in's pool `name`. */
export function poolOf(name: PoolName): PoolFixture {
  const cognito = inject("cognito");
  return name === "main" ? cognito : cognito.passwordPasskeyPool;
}

/** Env overrides (SendOptions.env) that point the Worker at pool `name` with this project's app client (public or secret). */
export function poolEnv(name: PoolName) {
  const pool = poolOf(name);
  const secret = env.TEST_CLIENT_KIND === "secret";
  return {
    COGNITO_USER_POOL_ID: pool.poolId,
    COGNITO_CLIENT_ID: secret ? pool.secretClientId : pool.publicClientId,
    COGNITO_CLIENT_SECRET: secret ? pool.clientSecret : "",
    COGNITO_ISSUER: pool.issuer,
  };
}

export interface AccountOptions {
  /** Default "main". */
  pool?: PoolName;
  /** A fresh email address, verified (default true). */
  email?: boolean;
  /** A fresh phone number, verified (default false). */
  phone?: boolean;
  /** Default PASSWORD; null: no password (refused where the pool offers no one-time code). */
  password?: string | null;
  /** A passkey of a software authenticator, registered on the pool (default false). */
  passkey?: boolean;
}

export interface Account {
  pool: PoolName;
  /** Cognito's username (the sub). */
  username: string;
  email?: string;
  phone?: string;
  password?: string;
  /** Signs in with the account's passkey (authenticate(options, { origin: PAGE })). */
  authenticator?: SoftwareAuthenticator;
}

async function control(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await strictControl(path, { method: "POST", body: JSON.stringify(body) });
  const answer = (await res.json()) as Record<string, unknown>;
  expect(res.status, `${path}: ${String(answer.__type ?? "")}`).toBe(200);
  return answer;
}

/** A confirmed account of the shape `options` asks for, made in the stand-in (no Worker, no Cognito call counted). */
export async function createAccount(options: AccountOptions = {}): Promise<Account> {
  const pool = options.pool ?? "main";
  const email = options.email === false ? undefined : newEmail("account");
  const phone = options.phone ? newPhone() : undefined;
  const password = options.password === null ? undefined : (options.password ?? PASSWORD);
  if (!email && !phone) throw new Error("an account needs an email or a phone number");
  const { poolId } = poolOf(pool);
  const made = await control("/__user", { poolId, email, phone, password, passkey: options.passkey === true });
  const username = String(made.username);
  const account: Account = { pool, username, email, phone, password };
  if (!options.passkey) return account;
  const authenticator = await SoftwareAuthenticator.create();
  const credential = await authenticator.register(made.passkeyCreationOptions as CreationOptionsJSON, { origin: PAGE });
  await control("/__passkey", { poolId, username, credential });
  return { ...account, authenticator };
}
