// Sign-up as AWS answers it where cognito-local does not: a phone number as
// the username (cognito-local wants an email when email is a username
// attribute), passwordless users (no Password, only where the pool allows
// one-time codes as a first factor), masked code destinations, the code going
// to the phone when the user has one (AWS: with both auto-verified, "Cognito
// only verifies the phone number"), and the Session chain that signs a user
// in right after confirmation: SignUp answers a Session, ConfirmSignUp takes
// it ("the optional session ID from a SignUp API request") and answers one
// that InitiateAuth USER_AUTH accepts once, for that user and app client,
// within the authentication session's lifetime.
import { randomUUID } from "node:crypto";
import { cognitoSession } from "./cognito-session";
import { type Answer, fail, type Json } from "./emulated";
import { isPhone, maskDestination } from "./masks";
import type { Codes } from "./codes";
import type { ClientInfo } from "./secrets";
import type { PoolUser, Users } from "./users";

type Forward = (op: string, input: Json) => Promise<Answer>;

/** AWS's default lifetime of an authentication session (AuthSessionValidity, 3 minutes). */
const SESSION_TTL_MS = 3 * 60_000;

interface FlowSession {
  /** Cognito's username of the user the session belongs to. */
  username: string;
  clientId: string;
  issuedAt: number;
}

const invalidSession = () => fail("NotAuthorizedException", "Invalid session for the user.");

export class SignUps {
  private readonly signUpSessions = new Map<string, FlowSession>();
  private readonly signInSessions = new Map<string, FlowSession>();
  /** Users registered without a password (they sign in with codes or passkeys only). */
  private readonly passwordless = new Set<string>();

  constructor(
    private readonly forward: Forward,
    private readonly users: Users,
    private readonly codes: Codes,
    private readonly clients: Record<string, ClientInfo>,
    /** True when the pool allows one-time codes as a first factor (passwordless sign-up). */
    private readonly allowsPasswordless: (poolId: string | undefined) => boolean,
  ) {}

  /** The answer for SignUp, ConfirmSignUp or ResendConfirmationCode; undefined for other operations. */
  async handle(op: string, input: Json): Promise<Answer | undefined> {
    if (op === "SignUp") return this.signUp(input);
    if (op === "ConfirmSignUp") return this.confirm(input);
    if (op === "ResendConfirmationCode") return this.resend(input);
    return undefined;
  }

  /** False for a user who registered without a password. */
  hasPassword(username: string): boolean {
    return !this.passwordless.has(username);
  }

  /** Takes the ConfirmSignUp session of InitiateAuth USER_AUTH: true once, for its user and client, while fresh. */
  takeSignInSession(session: string, username: string, clientId: string): boolean {
    const record = this.signInSessions.get(session);
    this.signInSessions.delete(session);
    return Boolean(record && fresh(record) && record.username === username && record.clientId === clientId);
  }

  private poolOf(input: Json): string | undefined {
    return this.clients[String(input.ClientId)]?.poolId;
  }

  private async signUp(input: Json): Promise<Answer> {
    const poolId = this.poolOf(input);
    const username = String(input.Username);
    const passwordless = input.Password === undefined || input.Password === "";
    if (passwordless && !this.allowsPasswordless(poolId)) {
      return fail("InvalidParameterException", "Passwordless sign-up is not enabled for this user pool.");
    }
    const attributes = (input.UserAttributes as { Name: string; Value?: string }[] | undefined) ?? [];
    const phone = attributes.find((a) => a.Name === "phone_number")?.Value ?? (isPhone(username) ? username : undefined);
    if (phone && (await this.users.find(poolId, phone))) {
      return fail("UsernameExistsException", "An account with the given phone_number already exists.");
    }
    // cognito-local takes only an email as the username here: a placeholder, removed once the user exists.
    const forwarded: Json = { ...input, Password: passwordless ? undefined : input.Password };
    if (isPhone(username)) forwarded.Username = `${randomUUID()}@phone-sign-up.invalid`;
    const answer = await this.forward("SignUp", forwarded);
    if (answer.status !== 200) return answer;
    const body = answer.body as Json;
    const sub = String(body.UserSub);
    if (isPhone(username)) {
      await this.forward("AdminDeleteUserAttributes", { UserPoolId: poolId, Username: sub, UserAttributeNames: ["email"] });
    }
    if (passwordless) this.passwordless.add(sub);
    const session = cognitoSession(username);
    this.signUpSessions.set(session, { username: sub, clientId: String(input.ClientId), issuedAt: Date.now() });
    return { status: 200, body: { ...body, CodeDeliveryDetails: this.delivered(sub, body.CodeDeliveryDetails as Json | undefined), Session: session } };
  }

  /** Sends the user `username` a new confirmation code and masks the delivery's destination. */
  private delivered(username: string, details: Json | undefined): Json | undefined {
    if (!details?.Destination) return details;
    const destination = String(details.Destination);
    this.codes.issue(username, "sign-up", destination);
    return { ...details, Destination: maskDestination(details.DeliveryMedium, destination) };
  }

  private async confirm(input: Json): Promise<Answer> {
    const poolId = this.poolOf(input);
    const user = await this.users.find(poolId, String(input.Username));
    const clientId = String(input.ClientId);
    // AWS does not document that ConfirmSignUp refuses a foreign or made-up Session (Amplify's threads show it
    // answering one either way), so only an expired one of this user's is refused: the Worker must not rest on more.
    const record = input.Session === undefined ? undefined : this.signUpSessions.get(String(input.Session));
    if (record && record.username === user?.username && record.clientId === clientId && !fresh(record)) return invalidSession();
    const { Session: _, ...rest } = input;
    const answer = await this.forward("ConfirmSignUp", rest);
    if (answer.status !== 200 || !user || !poolId) return answer;
    if (input.Session !== undefined) this.signUpSessions.delete(String(input.Session));
    await this.markVerified(poolId, user);
    // Amplify's autoSignIn reads this Session whether or not it sent SignUp's: AWS answers one either way.
    const session = cognitoSession(String(input.Username));
    this.signInSessions.set(session, { username: user.username, clientId, issuedAt: Date.now() });
    return { status: 200, body: { Session: session } };
  }

  /** The attribute the confirmation code went to is proven (cognito-local marks none). */
  private async markVerified(poolId: string, user: PoolUser): Promise<void> {
    const { email, phone_number: phone } = user.attributes;
    if (phone) await this.users.set(poolId, user.username, { phone_number: phone, phone_number_verified: "true" });
    else if (email) await this.users.set(poolId, user.username, { email, email_verified: "true" });
  }

  private async resend(input: Json): Promise<Answer> {
    const user = await this.users.find(this.poolOf(input), String(input.Username));
    if (!user) return fail("UserNotFoundException", "Username/client id combination not found.");
    if (user.status === "CONFIRMED") return fail("InvalidParameterException", "User is already confirmed.");
    const { email, phone_number: phone } = user.attributes;
    const details = phone
      ? { AttributeName: "phone_number", DeliveryMedium: "SMS", Destination: phone }
      : { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: email };
    return { status: 200, body: { CodeDeliveryDetails: this.delivered(user.username, details) } };
  }
}

const fresh = (record: FlowSession) => Date.now() - record.issuedAt <= SESSION_TTL_MS;
