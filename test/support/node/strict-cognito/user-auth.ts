// Choice-based sign-in (InitiateAuth AuthFlow=USER_AUTH and its challenges),
// which cognito-local lacks, answered as the API reference describes it:
// PREFERRED_CHALLENGE picks a first factor the user has, else SELECT_CHALLENGE
// lists AvailableChallenges; SELECT_CHALLENGE is answered with ANSWER (and
// PASSWORD or CREDENTIAL); EMAIL_OTP / SMS_OTP with the code that was sent;
// WEB_AUTHN with CREDENTIAL, an AuthenticationResponseJSON. An unknown user
// gets what the developer guide says an app client with
// PreventUserExistenceErrors gets: "a random selection from the challenge
// types that the user pool allows" ("Managing user existence error
// responses"), also when it asked for PASSWORD and sent one; that challenge
// answers no code or passkey; it is random per
// username, not per request, as Cognito keeps SRP's simulated salt stable
// per username. A session from ConfirmSignUp signs its user in without a
// challenge. One-time codes and passkeys skip MFA.
import { createHash, randomInt } from "node:crypto";
import type { Challenges } from "./challenges";
import { type Answer, fail, type Json } from "./emulated";
import { clientDataOf, originAllowed } from "./webauthn-checks";
import { maskEmail, maskPhone } from "./masks";
import type { Minter } from "./mint";
import type { Outbox } from "./outbox";
import type { PasskeyPort } from "./passkey-port";
import type { ClientInfo } from "./secrets";
import { cognitoSession } from "./cognito-session";
import type { SignUps } from "./sign-up";
import type { PoolUser, Users } from "./users";

/** The first factors of SignInPolicy.AllowedFirstAuthFactors. */
export type FirstFactor = "PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";

/** A wrong code may be tried again in the same session; after the third the session ends. */
const MAX_CODE_ATTEMPTS = 3;

interface Pending {
  /** Cognito's username; "" for the simulated challenge of an unknown user. */
  username: string;
  poolId: string;
  clientId: string;
  available: FirstFactor[];
  code?: string;
  attempts: number;
}

export interface UserAuthDeps {
  users: Users;
  challenges: Challenges;
  signUps: SignUps;
  minter: Minter;
  outbox: Outbox;
  passkeys: () => PasskeyPort;
  clients: Record<string, ClientInfo>;
  /** The pool's passkey relying party (WebAuthnRelyingPartyID). */
  relyingPartyId: string;
  /** The pool's SignInPolicy.AllowedFirstAuthFactors. */
  firstFactors: (poolId: string) => FirstFactor[];
  /** InitiateAuth USER_PASSWORD_AUTH through cognito-local, with the stand-in's corrections (not its token bookkeeping). */
  passwordSignIn: (input: Json) => Promise<Answer>;
}

const notAuthorized = () => fail("NotAuthorizedException", "Incorrect username or password.");
const codeMismatch = () => fail("CodeMismatchException", "Invalid code received for user");
const otpCode = () => String(randomInt(0, 100_000_000)).padStart(8, "0");

export class UserAuth {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: UserAuthDeps) {}

  /** The answer for USER_AUTH and its challenges; undefined for other calls. */
  async handle(op: string, input: Json): Promise<Answer | undefined> {
    if (op === "InitiateAuth" && input.AuthFlow === "USER_AUTH") return this.initiate(input);
    if (op === "RespondToAuthChallenge" && this.pending.has(String(input.Session))) return this.respond(input);
    return undefined;
  }

  private async initiate(input: Json): Promise<Answer> {
    const params = (input.AuthParameters ?? {}) as Record<string, string | undefined>;
    const name = String(params.USERNAME);
    const clientId = String(input.ClientId);
    const poolId = this.deps.clients[clientId]?.poolId ?? "";
    const user = await this.deps.users.find(poolId, name);
    if (input.Session !== undefined) {
      if (!user || !this.deps.signUps.takeSignInSession(String(input.Session), user.username, clientId)) {
        return fail("NotAuthorizedException", "Invalid session for the user.");
      }
      return this.deps.minter.signIn(poolId, clientId, user.username);
    }
    const preferred = params.PREFERRED_CHALLENGE;
    if (preferred === "PASSWORD") {
      const refused = this.passwordRefusal(poolId, params.PASSWORD, user);
      if (refused) return refused;
      if (!user) return this.simulate(name, poolId, clientId);
      return this.password(input, name, params.PASSWORD);
    }
    if (!user?.enabled) return this.simulate(name, poolId, clientId);
    if (user.status !== "CONFIRMED") return fail("UserNotConfirmedException", "User is not confirmed.");
    const available = this.available(user, poolId);
    if (available.length === 0) return notAuthorized();
    const context: Pending = { username: user.username, poolId, clientId, available, attempts: 0 };
    const chosen = available.find((factor) => factor === preferred && factor !== "PASSWORD");
    if (chosen) return this.issue(chosen, name, user, context);
    const session = this.open(name, "SELECT_CHALLENGE", context);
    return { status: 200, body: { ChallengeName: "SELECT_CHALLENGE", Session: session, ChallengeParameters: {}, AvailableChallenges: asOffered(available) } };
  }

  /** The first factors `user` can use: the pool's, less a password they never set, unverified contacts and missing passkeys. */
  private available(user: PoolUser, poolId: string): FirstFactor[] {
    const a = user.attributes;
    const has: Record<FirstFactor, boolean> = {
      PASSWORD: this.deps.signUps.hasPassword(user.username),
      EMAIL_OTP: Boolean(a.email) && a.email_verified === "true",
      SMS_OTP: Boolean(a.phone_number) && a.phone_number_verified === "true",
      WEB_AUTHN: this.deps.passkeys().has(user.username),
    };
    return this.deps.firstFactors(poolId).filter((factor) => has[factor]);
  }

  /** Why PASSWORD as a first factor is refused before the password is checked: none sent, a pool without it, a disabled user. */
  private passwordRefusal(poolId: string, password: string | undefined, user: PoolUser | undefined): Answer | undefined {
    if (password === undefined) return fail("InvalidParameterException", "PASSWORD is required for the PASSWORD challenge.");
    if (!this.deps.firstFactors(poolId).includes("PASSWORD") || user?.enabled === false) return notAuthorized();
    return undefined;
  }

  /** PASSWORD as a first factor: the password check of USER_PASSWORD_AUTH (cognito-local's, MFA included). */
  private password(input: Json, name: string, password: string | undefined): Promise<Answer> {
    const params = input.AuthParameters as Json;
    const hash = params.SECRET_HASH === undefined ? {} : { SECRET_HASH: params.SECRET_HASH };
    return this.deps.passwordSignIn({
      ...input,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: name, PASSWORD: password, ...hash },
    });
  }

  /** Records a new challenge session (also with the stand-in's session checks). */
  private open(name: string, challenge: string, context: Pending): string {
    const session = cognitoSession(name);
    this.pending.set(session, context);
    this.deps.challenges.issued(session, name, challenge);
    return session;
  }

  private issue(factor: FirstFactor, name: string, user: PoolUser, context: Pending): Answer {
    const parameters: Record<string, string> = {};
    if (factor === "EMAIL_OTP" || factor === "SMS_OTP") {
      const sms = factor === "SMS_OTP";
      const to = sms ? user.attributes.phone_number : user.attributes.email;
      context.code = otpCode();
      this.deps.outbox.sent(to, context.code);
      parameters.CODE_DELIVERY_DELIVERY_MEDIUM = sms ? "SMS" : "EMAIL";
      parameters.CODE_DELIVERY_DESTINATION = sms ? maskPhone(to) : maskEmail(to);
    } else if (factor === "WEB_AUTHN") {
      parameters.CREDENTIAL_REQUEST_OPTIONS = this.deps.passkeys().requestOptions(user.username);
    }
    const session = this.open(name, factor, context);
    return { status: 200, body: { ChallengeName: factor, Session: session, ChallengeParameters: parameters } };
  }

  /** An unknown or disabled user: a challenge that looks like a real one and that nothing answers. */
  private simulate(name: string, poolId: string, clientId: string): Answer {
    const factors = this.deps.firstFactors(poolId);
    const digest = createHash("sha256").update(`${poolId}/${name.toLowerCase()}`).digest();
    const factor = factors[digest[0] % factors.length];
    const parameters: Record<string, string> = {};
    if (factor === "EMAIL_OTP") {
      parameters.CODE_DELIVERY_DELIVERY_MEDIUM = "EMAIL";
      parameters.CODE_DELIVERY_DESTINATION = name.includes("@") ? maskEmail(name) : "u***@e***";
    } else if (factor === "SMS_OTP") {
      parameters.CODE_DELIVERY_DELIVERY_MEDIUM = "SMS";
      parameters.CODE_DELIVERY_DESTINATION = maskPhone(`+1${digest.readUInt32BE(1)}`);
    } else if (factor === "WEB_AUTHN") {
      // The pool's options for a name with no passkey: nothing to tell them from a real account's.
      parameters.CREDENTIAL_REQUEST_OPTIONS = this.deps.passkeys().requestOptions(name);
    }
    const session = this.open(name, factor, { username: "", poolId, clientId, available: [], attempts: 0 });
    return { status: 200, body: { ChallengeName: factor, Session: session, ChallengeParameters: parameters } };
  }

  private async respond(input: Json): Promise<Answer> {
    const session = String(input.Session);
    const context = this.pending.get(session) as Pending;
    const responses = (input.ChallengeResponses ?? {}) as Record<string, string | undefined>;
    const name = String(responses.USERNAME);
    const challenge = String(input.ChallengeName);
    if (challenge === "EMAIL_OTP" || challenge === "SMS_OTP") {
      const code = challenge === "EMAIL_OTP" ? responses.EMAIL_OTP_CODE : responses.SMS_OTP_CODE;
      // Not documented either way: a real session's malformed code may be refused as a parameter, not as a wrong code.
      if (context.username && !/^\d+$/.test(code ?? "")) return fail("InvalidParameterException", "The code must be digits.");
      if (!context.code || code !== context.code) {
        context.attempts++;
        if (context.attempts >= MAX_CODE_ATTEMPTS) this.end(session);
        return codeMismatch();
      }
      this.end(session);
      return this.deps.minter.signIn(context.poolId, context.clientId, context.username);
    }
    this.end(session);
    if (!context.username) return notAuthorized();
    if (challenge === "WEB_AUTHN") return this.passkey(context, responses.CREDENTIAL);
    if (challenge !== "SELECT_CHALLENGE") return notAuthorized();
    const answer = context.available.find((factor) => factor === responses.ANSWER);
    if (!answer) return fail("InvalidParameterException", "The selected challenge is not available to the user.");
    if (answer === "PASSWORD") {
      const refused = this.passwordRefusal(context.poolId, responses.PASSWORD, undefined);
      if (refused) return refused;
      // The session's user, whichever of its names USERNAME gave (they were checked to be one user).
      return this.password({ ClientId: input.ClientId, AuthParameters: { SECRET_HASH: responses.SECRET_HASH } }, context.username, responses.PASSWORD);
    }
    if (answer === "WEB_AUTHN" && responses.CREDENTIAL !== undefined) return this.passkey(context, responses.CREDENTIAL);
    const user = await this.deps.users.find(context.poolId, context.username);
    if (!user) return notAuthorized();
    return this.issue(answer, name, user, { ...context, attempts: 0 });
  }

  private async passkey(context: Pending, credential: string | undefined): Promise<Answer> {
    // A credential made on a page of another relying party is refused; not by name as at registration:
    // RespondToAuthChallenge declares no WebAuthnOriginNotAllowedException (only CompleteWebAuthnRegistration does).
    const origin = originOf(credential);
    if (origin !== undefined && !originAllowed(origin, this.deps.relyingPartyId)) return notAuthorized();
    const verified = credential !== undefined && (await this.deps.passkeys().verify(context.username, credential));
    return verified ? this.deps.minter.signIn(context.poolId, context.clientId, context.username) : notAuthorized();
  }

  private end(session: string): void {
    this.pending.delete(session);
    this.deps.challenges.spend(session);
  }
}

/**
 * AvailableChallenges as AWS answers them: PASSWORD_SRP next to PASSWORD
 * (real answers list both), in an order the API reference does not document,
 * so shuffled: nothing may rest on it.
 */
function asOffered(available: FirstFactor[]): string[] {
  const offered: string[] = available.flatMap((factor) => (factor === "PASSWORD" ? ["PASSWORD", "PASSWORD_SRP"] : [factor]));
  for (let i = offered.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [offered[i], offered[j]] = [offered[j], offered[i]];
  }
  return offered;
}

/** The origin a credential's clientDataJSON names, if it is one. */
function originOf(credential: string | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(credential ?? "");
    const response = (parsed as { response?: { clientDataJSON?: unknown } } | null)?.response;
    return response ? clientDataOf({ response: { clientDataJSON: response.clientDataJSON } })?.origin : undefined;
  } catch {
    return undefined;
  }
}
