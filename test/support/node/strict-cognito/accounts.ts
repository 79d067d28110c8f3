// Test setup (POST /__user, POST /__passkey): accounts of the shapes a pool can
// hold, made without the Worker and without counting as calls to Cognito: an
// email or a phone number or both, each verified; a password or none (only
// where the pool lets one-time codes sign in, as SignUp does); and a passkey,
// registered with the same checks as CompleteWebAuthnRegistration.
import { type Answer, fail, type Json } from "./emulated";
import type { Codes } from "./codes";
import type { Passkeys } from "./passkeys";
import type { ClientInfo } from "./secrets";
import type { SignUps } from "./sign-up";
import type { Users } from "./users";

/** What POST /__user takes. */
export interface AccountSpec {
  poolId: string;
  email?: string;
  phone?: string;
  /** None: a passwordless account. */
  password?: string;
  /** True: the answer carries passkey creation options for POST /__passkey. */
  passkey?: boolean;
}

export interface AccountDeps {
  signUps: SignUps;
  users: Users;
  passkeys: Passkeys;
  clients: Record<string, ClientInfo>;
  codes: Codes;
}

export class Accounts {
  constructor(private readonly deps: AccountDeps) {}

  /** Creates a confirmed account; answers its Cognito username (and passkey creation options when asked). */
  async create(spec: AccountSpec): Promise<Answer> {
    const clientId = this.clientOf(spec.poolId);
    const name = spec.email ?? spec.phone;
    if (!clientId || !name) return fail("InvalidParameterException", "A known poolId and an email or phone are required.");
    const attributes = [
      ...(spec.email ? [{ Name: "email", Value: spec.email }] : []),
      ...(spec.phone ? [{ Name: "phone_number", Value: spec.phone }] : []),
    ];
    const signUp = await this.deps.signUps.handle("SignUp", { ClientId: clientId, Username: name, Password: spec.password, UserAttributes: attributes });
    if (signUp?.status !== 200) return signUp ?? fail("InternalErrorException", "SignUp was not answered.");
    const username = String((signUp.body as Json).UserSub);
    const code = this.deps.codes.current(username, "sign-up");
    const confirmed = await this.deps.signUps.handle("ConfirmSignUp", { ClientId: clientId, Username: username, ConfirmationCode: code });
    if (confirmed?.status !== 200) return confirmed ?? fail("InternalErrorException", "ConfirmSignUp was not answered.");
    const verified = {
      ...(spec.email ? { email: spec.email, email_verified: "true" } : {}),
      ...(spec.phone ? { phone_number: spec.phone, phone_number_verified: "true" } : {}),
    };
    await this.deps.users.set(spec.poolId, username, verified);
    const options = spec.passkey ? { passkeyCreationOptions: this.deps.passkeys.creationOptions(username, clientId, name) } : {};
    return { status: 200, body: { username, ...options } };
  }

  /** Registers the passkey `credential` (a RegistrationResponseJSON for the options create() gave). */
  addPasskey(input: { poolId: string; username: string; credential: unknown }): Promise<Answer> {
    return this.deps.passkeys.completeFor(input.username, this.clientOf(input.poolId) ?? "", input.credential);
  }

  /** The app client setup goes through: the pool's first (the stand-in checks no secret on its own calls). */
  private clientOf(poolId: string): string | undefined {
    return Object.entries(this.deps.clients).find(([, client]) => client.poolId === poolId)?.[0];
  }
}
