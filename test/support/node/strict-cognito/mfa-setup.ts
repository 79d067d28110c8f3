// The MFA_SETUP challenge, which cognito-local cannot give: a test marks a
// user with the "mfa-setup" fault, login then answers MFA_SETUP, and the
// session-based AssociateSoftwareToken / VerifySoftwareToken /
// RespondToAuthChallenge steps are answered here as AWS answers them, ending
// with real tokens from cognito-local.
import { createHmac, randomBytes } from "node:crypto";
import type { Challenges } from "./challenges";
import { cognitoSession } from "./cognito-session";
import { type Answer, fail, type Json } from "./emulated";

interface Setup {
  username: string;
  password: string;
  clientId: string;
  secret?: string;
  verified?: boolean;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

function unbase32(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | BASE32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 with one step of drift either way, as Cognito allows. */
function totpMatches(secret: string, code: string): boolean {
  const step = Math.floor(Date.now() / 30_000);
  return [step - 1, step, step + 1].some((counter) => {
    const msg = Buffer.alloc(8);
    msg.writeBigUInt64BE(BigInt(counter));
    const mac = createHmac("sha1", unbase32(secret)).update(msg).digest();
    const offset = mac[mac.length - 1] & 15;
    return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0") === code;
  });
}

export class MfaSetups {
  private readonly setups = new Map<string, Setup>();

  constructor(
    private readonly challenges: Challenges,
    private readonly forward: (op: string, input: Json) => Promise<Answer>,
  ) {}

  /** Login of a marked user: check the password with cognito-local, then answer MFA_SETUP. */
  async login(input: Json): Promise<Answer> {
    const real = await this.forward("InitiateAuth", input);
    if (real.status !== 200) return real;
    const params = input.AuthParameters as Json;
    const username = String(params.USERNAME);
    const session = cognitoSession(username);
    this.setups.set(session, { username, password: String(params.PASSWORD), clientId: String(input.ClientId) });
    this.challenges.issued(session, username, "MFA_SETUP");
    return { status: 200, body: { ChallengeName: "MFA_SETUP", Session: session, ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } } };
  }

  /** The session-based steps; undefined when the call is not one of them. */
  async handle(op: string, input: Json): Promise<Answer | undefined> {
    if (typeof input.Session !== "string" || input.AccessToken !== undefined) return undefined;
    const setup = this.setups.get(input.Session);
    if (op === "AssociateSoftwareToken" || op === "VerifySoftwareToken") {
      if (!setup) return fail("NotAuthorizedException", "Invalid session for the user.");
      this.setups.delete(input.Session);
      const session = cognitoSession(setup.username);
      if (op === "AssociateSoftwareToken") {
        setup.secret = base32(randomBytes(20));
        this.setups.set(session, setup);
        return { status: 200, body: { SecretCode: setup.secret, Session: session } };
      }
      if (!setup.secret || !totpMatches(setup.secret, String(input.UserCode))) {
        this.setups.set(input.Session, setup);
        return fail("EnableSoftwareTokenMFAException", "Code mismatch");
      }
      setup.verified = true;
      this.setups.set(session, setup);
      this.challenges.issued(session, setup.username, "MFA_SETUP");
      return { status: 200, body: { Status: "SUCCESS", Session: session } };
    }
    if (op === "RespondToAuthChallenge" && input.ChallengeName === "MFA_SETUP") {
      if (!setup?.verified) return fail("NotAuthorizedException", "Invalid session for the user.");
      this.setups.delete(input.Session);
      this.challenges.spend(input.Session);
      const { username, password, clientId } = setup;
      return this.forward("InitiateAuth", {
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      });
    }
    return undefined;
  }
}
