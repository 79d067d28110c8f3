// The codes of confirmation, password-reset and attribute-verification
// messages. cognito-local gives every one its CODE, so a test could not tell a
// message that went out from one that never did. Here each message draws a new
// code (never the previous one of its kind, never CODE), the outbox records
// it, and a call that brings it back (ConfirmSignUp, ConfirmForgotPassword,
// VerifyUserAttribute) reaches cognito-local with CODE in its place; any other
// code, CODE included, reaches it as a wrong one. Only the latest code of each
// kind is taken: AWS documents no more, and the Worker only passes codes on.
import { randomInt } from "node:crypto";
import { decodeJwt } from "jose";
import type { Json } from "./emulated";
import type { Outbox } from "./outbox";
import type { ClientInfo } from "./secrets";
import type { Users } from "./users";

/** What a code proves: a sign-up, a password reset, or an attribute (by its name). */
export type CodePurpose = "sign-up" | "reset" | `attribute:${string}`;

export interface CodeOptions {
  outbox: Outbox;
  users: Users;
  clients: Record<string, ClientInfo>;
  /** cognito-local's CODE, the only code it takes. */
  fixed: string;
  /** False: every message carries `fixed` (npm start's documented code). */
  draw: boolean;
}

export class Codes {
  private readonly issued = new Map<string, string>();

  constructor(private readonly options: CodeOptions) {}

  /** The code of a new message about the user `username` (Cognito's username), recorded as sent to `destination`. */
  issue(username: string, purpose: CodePurpose, destination: string): string {
    const key = `${purpose}|${username}`;
    const previous = this.issued.get(key);
    let code = this.options.fixed;
    while (this.options.draw && (code === this.options.fixed || code === previous)) code = String(randomInt(1_000_000)).padStart(6, "0");
    this.issued.set(key, code);
    this.options.outbox.sent(destination, code);
    return code;
  }

  /** The latest code of `purpose` sent about `username`, if any. */
  current(username: string, purpose: CodePurpose): string | undefined {
    return this.issued.get(`${purpose}|${username}`);
  }

  /** ForgotPassword (answered `body`) sent a reset code to its delivery's destination (cognito-local's: the email, unmasked). */
  async resetSent(input: Json, body: Json): Promise<void> {
    const destination = (body.CodeDeliveryDetails as Json | undefined)?.Destination;
    const user = await this.options.users.find(this.options.clients[String(input.ClientId)]?.poolId, String(input.Username));
    if (user && typeof destination === "string") this.issue(user.username, "reset", destination);
  }

  /** `input` of a call to cognito-local with the code it brings exchanged for the one cognito-local takes (or a wrong one). */
  async inbound(op: string, input: Json): Promise<Json> {
    if (!this.options.draw) return input;
    if (op === "ConfirmSignUp" || op === "ConfirmForgotPassword") {
      const poolId = this.options.clients[String(input.ClientId)]?.poolId;
      const user = await this.options.users.find(poolId, String(input.Username));
      const purpose = op === "ConfirmSignUp" ? "sign-up" : "reset";
      return { ...input, ConfirmationCode: this.exchanged(user?.username, purpose, input.ConfirmationCode) };
    }
    if (op === "VerifyUserAttribute") {
      const sub = decodeJwt(String(input.AccessToken)).sub;
      return { ...input, Code: this.exchanged(sub, `attribute:${String(input.AttributeName)}`, input.Code) };
    }
    return input;
  }

  private exchanged(username: string | undefined, purpose: CodePurpose, given: unknown): unknown {
    if (typeof given !== "string") return given;
    const current = username === undefined ? undefined : this.current(username, purpose);
    if (current !== undefined && given === current) return this.options.fixed;
    if (given !== this.options.fixed) return given;
    // Same shape, one digit off: cognito-local refuses it as it would any wrong code.
    const last = Number(given.at(-1) ?? "0");
    return `${given.slice(0, -1)}${Number.isNaN(last) ? 0 : (last + 1) % 10}`;
  }
}
