// A strict front for cognito-local: every request is checked against the
// official API model and against what AWS enforces that cognito-local does
// not (cognito-local never checks SECRET_HASH or SigV4, does not enforce the
// password policy, only decodes access tokens, and answers GlobalSignOut and
// ResendConfirmationCode with a 500); those two operations are answered here,
// as are the ones it lacks (choice-based sign-in, passwordless and phone
// sign-up). Every Session it answers, cognito-local's too, has the shape of
// Cognito's (cognito-session.ts); each pool has its own first factors
// (pools.ts). Any contract violation is recorded and fails the run.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Accounts } from "./accounts";
import { AttributeCodes } from "./attribute-codes";
import { userAuthFactors } from "./auth-factors";
import { Challenges } from "./challenges";
import { Codes } from "./codes";
import { control } from "./control";
import { type Answer, Emulator, fail, type Json } from "./emulated";
import { Faults } from "./faults";
import { MfaSetups } from "./mfa-setup";
import { Minter } from "./mint";
import { checkInput, checkOutput, requiresSigV4 } from "./model";
import { Outbox } from "./outbox";
import type { PasskeyPort } from "./passkey-port";
import { Passkeys, type WebAuthnConfiguration } from "./passkeys";
import { ALL_FIRST_FACTORS, PoolPolicies, type PoolPolicy } from "./pools";
import { chooseReading, Readings } from "./readings";
import { Rotation } from "./rotation";
import { type ClientInfo, meetsDefaultPolicy, proposedPasswords, secretProblem } from "./secrets";
import { Sessions } from "./sessions";
import { SignUps } from "./sign-up";
import { type Credentials, sigv4Error } from "./sigv4";
import { ContextLog, userContextProblems } from "./user-context";
import { type FirstFactor, UserAuth } from "./user-auth";
import { UpstreamSessions } from "./upstream-sessions";
import { Users } from "./users";
import { close, listen } from "../http";

const TARGET = "AWSCognitoIdentityProviderService.";
const notAuthorized = (message: string) => fail("NotAuthorizedException", message);

/** Node's rawHeaders ([name, value, name, value, ...]) as pairs. */
const headerPairs = (raw: string[]): [string, string][] =>
  Array.from({ length: raw.length / 2 }, (_, i) => [raw[2 * i], raw[2 * i + 1]]);

export interface StrictCognitoOptions {
  /** cognito-local's base URL, e.g. http://127.0.0.1:9229 */
  upstream: string;
  clients: Record<string, ClientInfo>;
  /** The credentials admin calls must be signed with. */
  admin: Credentials;
  /** cognito-local's CODE, which is also AdminCreateUser's default temporary password. */
  code: string;
  /** True: each confirmation, reset and verification message draws a code of its own (codes.ts); false: every one is `code`. */
  drawCodes?: boolean;
  /** Told of every contract violation as it happens (npm start prints them). */
  onViolation?: (message: string) => void;
  /** SignInPolicy.AllowedFirstAuthFactors of the pools `pools` does not list (default: all four). */
  firstFactors?: FirstFactor[];
  /** Each pool's policy, by pool id. */
  pools?: Record<string, PoolPolicy>;
  /** The pool's passkey settings; by default the relying party is `localhost` (pages on http://localhost:<port>). */
  webauthn?: WebAuthnConfiguration;
  /** Who has passkeys for USER_AUTH's WEB_AUTHN and GetUserAuthFactors, in place of the passkey store (a test's own port). */
  passkeys?: PasskeyPort;
}

export class StrictCognito {
  readonly violations: string[] = [];
  readonly faults = new Faults();
  readonly calls = new Map<string, number>();
  /** The operations called through each /__tag/<tag>/ endpoint, in order. */
  readonly tagged = new Map<string, string[]>();
  readonly contexts = new ContextLog();
  /** The codes "sent" by email and SMS, for the tests (/__codes). */
  readonly outbox = new Outbox();
  /** Where AWS's documentation leaves room, the answer each user gets (/__reading). */
  readonly readings = new Readings();
  /** The passkey store: registration, listing and deletion, and the port USER_AUTH's WEB_AUTHN uses. */
  readonly passkeys: Passkeys;
  private readonly sessions: Sessions;
  private readonly challenges: Challenges;
  private readonly emulator: Emulator;
  private readonly mfaSetups: MfaSetups;
  private readonly users: Users;
  private readonly minter: Minter;
  private readonly signUps: SignUps;
  private readonly userAuth: UserAuth;
  private readonly attributeCodes: AttributeCodes;
  private readonly codes: Codes;
  private readonly rotation: Rotation;
  private readonly upstreamSessions = new UpstreamSessions();
  private readonly pools: PoolPolicies;
  private readonly accounts: Accounts;
  /** What USER_AUTH and GetUserAuthFactors ask about passkeys: the store, or the port a test gave. */
  private readonly passkeyPort: PasskeyPort;
  private server?: Server;

  constructor(private readonly options: StrictCognitoOptions) {
    const forward = (op: string, input: Json) => this.forward(op, input);
    this.pools = new PoolPolicies(options.pools ?? {}, options.firstFactors ?? ALL_FIRST_FACTORS);
    this.sessions = new Sessions(options.upstream, this.readings);
    this.challenges = new Challenges(options.code);
    this.emulator = new Emulator(forward, this.sessions);
    this.mfaSetups = new MfaSetups(this.challenges, forward);
    this.rotation = new Rotation(forward, options.clients, this.sessions);
    this.passkeys = new Passkeys(options.webauthn ?? { relyingPartyId: "localhost" }, forward);
    this.passkeyPort = options.passkeys ?? this.passkeys;
    this.users = new Users(forward);
    this.minter = new Minter(this.users, options.upstream);
    const passwordless = (poolId: string | undefined) => this.pools.allowsPasswordless(poolId);
    this.codes = new Codes({ outbox: this.outbox, users: this.users, clients: options.clients, fixed: options.code, draw: options.drawCodes ?? false });
    this.signUps = new SignUps(forward, this.users, this.codes, options.clients, passwordless);
    this.accounts = new Accounts({ signUps: this.signUps, users: this.users, passkeys: this.passkeys, clients: options.clients, codes: this.codes });
    this.attributeCodes = new AttributeCodes(this.users, this.codes, options.clients);
    this.userAuth = new UserAuth({
      users: this.users,
      challenges: this.challenges,
      signUps: this.signUps,
      minter: this.minter,
      outbox: this.outbox,
      passkeys: () => this.passkeyPort,
      clients: options.clients,
      relyingPartyId: options.webauthn?.relyingPartyId ?? "localhost",
      firstFactors: (poolId) => this.pools.firstFactors(poolId),
      passwordSignIn: async (input) => this.corrected("InitiateAuth", input, await this.forward("InitiateAuth", input)),
    });
  }

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await listen(this.server, port);
  }

  close(): Promise<void> {
    return close(this.server);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString("utf8");
    // /__tag/<tag>/: an endpoint of its own for one test's Worker, whose calls are counted under that tag (/__tagged).
    const tag = /^\/__tag\/([\w-]{1,64})\/$/.exec(req.url ?? "")?.[1];
    if (tag) this.tagged.set(tag, [...(this.tagged.get(tag) ?? []), String(req.headers["x-amz-target"] ?? "").slice(TARGET.length)]);
    else if (req.url?.startsWith("/__")) return control(this.controlDeps(), req.method ?? "GET", req.url, text, res);
    if (req.method !== "POST") return this.passThrough(req.method ?? "GET", req.url ?? "/", res);
    const target = String(req.headers["x-amz-target"] ?? "");
    let answer: Answer;
    let input: Json | undefined;
    if (!target.startsWith(TARGET) || req.headers["content-type"] !== "application/x-amz-json-1.1") {
      answer = this.violation(`bad headers: target=${target} content-type=${req.headers["content-type"]}`);
    } else {
      try {
        input = JSON.parse(text);
      } catch {
        input = undefined;
      }
      answer = input === undefined ? this.violation("body is not JSON") : await this.checked(target.slice(TARGET.length), input, req, raw);
    }
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs).unref());
    if (res.destroyed) return;
    res.writeHead(answer.status, { "Content-Type": "application/x-amz-json-1.1" });
    res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
  }

  private violation(message: string): Answer {
    this.record(message);
    return fail("ContractViolation", message);
  }

  private record(message: string): void {
    this.violations.push(message);
    this.options.onViolation?.(message);
  }

  /**
   * The answer to `op`, checked against the model's output shape and the
   * operation's declared errors; an answer AWS would never send is recorded as
   * a violation (and still sent, so the test sees what the Worker does with it).
   */
  private async checked(op: string, input: Json, req: IncomingMessage, body: Buffer): Promise<Answer> {
    const answer = await this.handle(op, input, req, body);
    const deliberate = answer.injected || typeof answer.body === "string" || (answer.body as Json).__type === "ContractViolation";
    if (!deliberate) {
      const problems = checkOutput(op, answer.status, answer.body);
      if (problems.length) this.record(`answer: ${problems.join("; ")}`);
    }
    return answer;
  }

  private async handle(op: string, input: Json, req: IncomingMessage, body: Buffer): Promise<Answer> {
    this.calls.set(op, (this.calls.get(op) ?? 0) + 1);
    this.contexts.record(op, input);
    const problems = [...checkInput(op, input), ...userContextProblems(op, input, this.options.clients[String(input.ClientId)])];
    if (problems.length) return this.violation(problems.join("; "));
    if (requiresSigV4(op)) {
      const signed = { method: req.method ?? "POST", target: req.url ?? "/", headers: headerPairs(req.rawHeaders), body };
      const refused = sigv4Error(signed, this.options.admin, "cognito-idp");
      if (refused) return fail(refused.type, refused.message, refused.type === "MissingAuthenticationTokenException" ? 403 : 400);
    }
    const fault = this.faults.take(op, input);
    if (fault?.kind === "timeout") return { status: 200, body: {}, delayMs: 30_000, injected: true };
    if (fault?.kind === "500") return { status: 500, body: "<html>Internal Server Error</html>" };
    if (fault?.kind === "throttle") return fail("TooManyRequestsException", "Rate exceeded");
    if (fault?.kind === "malformed") return { status: 200, body: "{not json" };
    if (fault?.kind === "error") return fail(fault.type ?? "InternalErrorException", fault.message ?? "injected");
    const refused = await this.refuse(op, input);
    if (refused) return refused;
    if (fault?.kind === "mfa-setup") return this.mfaSetups.login(input);
    const emulated =
      (await this.mfaSetups.handle(op, input)) ??
      (await this.userAuth.handle(op, input)) ??
      (await this.signUps.handle(op, input)) ??
      (await this.emulator.handle(op, input)) ??
      (await this.rotation.handle(op, input)) ??
      (await this.passkeys.handle(op, input)) ??
      (op === "GetUserAuthFactors" ? await this.authFactors(input) : undefined);
    // Emulated sign-ins (MFA_SETUP, USER_AUTH) get the same token bookkeeping as forwarded ones.
    if (emulated) return this.recordTokens(op, input, emulated);
    // With rotation, cognito-local's one token stands for the whole family: revoking it there would end them all,
    // whatever the user's reading, so the stand-in alone ends what the reading says.
    if (op === "RevokeToken" && this.options.clients[String(input.ClientId)]?.rotation && this.sessions.upstreamOf(String(input.Token))) {
      this.sessions.revoke(String(input.Token));
      return { status: 200, body: {} };
    }
    const answer = await this.forward(op, input);
    return this.recordTokens(op, input, await this.corrected(op, input, answer));
  }

  /** Tokens in an InitiateAuth / RespondToAuthChallenge answer: recorded, with auth_time and origin_jti as AWS keeps them. */
  private async recordTokens(op: string, input: Json, answer: Answer): Promise<Answer> {
    const body = answer.body as Json;
    if (answer.status !== 200 || (op !== "InitiateAuth" && op !== "RespondToAuthChallenge") || !body.AuthenticationResult) {
      return answer;
    }
    const params = (input.AuthParameters ?? input.ChallengeResponses) as Json | undefined;
    const presented = input.AuthFlow === "REFRESH_TOKEN_AUTH" ? params?.REFRESH_TOKEN : undefined;
    const presentedToken = typeof presented === "string" ? presented : undefined;
    const result = await this.sessions.issued(body.AuthenticationResult as Json, String(input.ClientId), presentedToken);
    return { ...answer, body: { ...body, AuthenticationResult: result } };
  }

  /** What AWS refuses and cognito-local lets through. */
  private async refuse(op: string, input: Json): Promise<Answer | undefined> {
    const clientId = String(input.ClientId ?? "");
    const client = this.options.clients[clientId];
    if (client) {
      const hashError = secretProblem(op, input, client, clientId);
      if (hashError) return notAuthorized(hashError);
    }
    for (const password of proposedPasswords(op, input)) {
      if (typeof password === "string" && !meetsDefaultPolicy(password)) {
        return fail("InvalidPasswordException", "Password did not conform with policy");
      }
    }
    if (input.AccessToken !== undefined) {
      const { error } = await this.sessions.verifyAccess(input.AccessToken);
      if (error) return notAuthorized(error);
    }
    if (op === "InitiateAuth" && input.AuthFlow === "USER_PASSWORD_AUTH") {
      // cognito-local signs disabled users in; AWS refuses them.
      const username = String((input.AuthParameters as Json | undefined)?.USERNAME);
      const user = await this.users.find(this.options.clients[String(input.ClientId)]?.poolId, username);
      if (user?.enabled === false) return notAuthorized("User is disabled.");
    }
    if (op === "RespondToAuthChallenge") {
      const responses = input.ChallengeResponses as Json | undefined;
      const sameUser = (a: string, b: string) => this.users.same(client?.poolId, a, b);
      const problem = await this.challenges.check(input.Session, responses?.USERNAME, input.ChallengeName, sameUser);
      if (problem) return notAuthorized(problem);
    }
    return this.rotation.refusal(op, input);
  }

  /**
   * Sends a call to cognito-local (also for the layer's own lookups), its sessions
   * exchanged for Cognito-shaped ones; refresh tokens minted here never reach it.
   */
  private async forward(op: string, input: Json): Promise<Answer> {
    const minted = await this.minter.answer(op, input);
    if (minted) return minted;
    const res = await fetch(`${this.options.upstream}/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + op },
      body: JSON.stringify(this.upstreamSessions.inbound(await this.codes.inbound(op, input))),
    });
    const text = await res.text();
    return this.upstreamSessions.outbound(input, { status: res.status, body: text ? JSON.parse(text) : {} });
  }

  /** Fixes cognito-local's answers where AWS answers differently (before the token bookkeeping). */
  private async corrected(op: string, input: Json, answer: Answer): Promise<Answer> {
    const body = answer.body as Json;
    // The policy was checked in refuse(), so cognito-local's InvalidPasswordException
    // here means a wrong (current) password, which AWS answers as NotAuthorizedException.
    if ((op === "InitiateAuth" || op === "ChangePassword") && body.__type === "InvalidPasswordException") {
      return notAuthorized("Incorrect username or password.");
    }
    if (answer.status !== 200) return answer;
    if (op === "InitiateAuth" || op === "RespondToAuthChallenge") {
      const params = (input.AuthParameters ?? input.ChallengeResponses) as Json | undefined;
      if (body.ChallengeName === "NEW_PASSWORD_REQUIRED" && op === "InitiateAuth") {
        if (this.challenges.wrongTemporaryPassword(params?.USERNAME, params?.PASSWORD)) {
          return notAuthorized("Incorrect username or password.");
        }
      }
      if (op === "RespondToAuthChallenge") this.challenges.spend(input.Session);
      if (typeof body.Session === "string") {
        this.challenges.issued(body.Session, String(params?.USERNAME), String(body.ChallengeName));
      }
    }
    if (op === "AdminCreateUser") this.challenges.created(String(input.Username), input.TemporaryPassword);
    // AWS: AdminDisableUser "deactivates a user and revokes all access tokens for the user"; its refresh tokens stop working too.
    if (op === "AdminDisableUser") await this.emulator.adminUserGlobalSignOut(input);
    if (op === "RevokeToken") this.sessions.revoke(String(input.Token));
    if (op === "ForgotPassword") await this.codes.resetSent(input, body);
    return this.attributeCodes.after(op, input, answer);
  }

  /** GetUserAuthFactors: PASSWORD only for users who have one (not passwordless sign-ups). */
  private authFactors(input: Json): Promise<Answer> {
    const listsSoftwareToken = (username: string) => this.readings.of(username).softwareTokenFactor === "listed";
    return userAuthFactors(input, (o, i) => this.forward(o, i), this.passkeyPort, (username) => this.signUps.hasPassword(username), listsSoftwareToken);
  }

  private controlDeps() {
    const { faults, contexts, outbox, violations, calls, tagged, accounts } = this;
    const forward = (op: string, input: Json) => this.forward(op, input);
    const elapse = (username: string, seconds: number) => this.sessions.elapse(username, seconds);
    return { faults, contexts, outbox, violations, calls, tagged, accounts, forward, elapse, choose: (spec: Json) => chooseReading(this.readings, this.users, spec) };
  }

  private async passThrough(method: string, url: string, res: ServerResponse): Promise<void> {
    const upstream = await fetch(`${this.options.upstream}${url}`, { method });
    res.writeHead(upstream.status, { "Content-Type": upstream.headers.get("content-type") ?? "application/json" });
    res.end(await upstream.text());
  }
}
