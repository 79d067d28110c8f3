// Operations cognito-local lacks or answers unlike AWS, answered here:
// GlobalSignOut, AdminUserGlobalSignOut, and ListUsers pagination
// (cognito-local ignores Limit). ResendConfirmationCode: sign-up.ts.
import { decodeJwt } from "jose";
import type { Sessions } from "./sessions";

export type Json = Record<string, unknown>;
export interface Answer {
  status: number;
  body: Json | string;
  delayMs?: number;
  /** A fault a test injected in place of any answer (a timeout): not checked against the model. */
  injected?: boolean;
}

export const fail = (type: string, message: string, status = 400): Answer => ({ status, body: { __type: type, message } });

type Forward = (op: string, input: Json) => Promise<Answer>;

export class Emulator {
  constructor(
    private readonly forward: Forward,
    private readonly sessions: Sessions,
  ) {}

  /** The answer for an emulated operation, or undefined to forward it. */
  async handle(op: string, input: Json): Promise<Answer | undefined> {
    switch (op) {
      case "GlobalSignOut":
        return this.globalSignOut(input);
      case "AdminUserGlobalSignOut":
        return this.adminUserGlobalSignOut(input);
      case "ListUsers":
        return this.listUsers(input);
      default:
        return undefined;
    }
  }

  /** The pool's user with this email (cognito-local resolves no alias in admin calls). */
  async findByEmail(poolId: unknown, email: string): Promise<Json | undefined> {
    if (typeof poolId !== "string") return undefined;
    const found = await this.forward("ListUsers", { UserPoolId: poolId, Filter: `email = "${email}"` });
    return ((found.body as Json).Users as Json[] | undefined)?.[0];
  }

  private globalSignOut(input: Json): Answer {
    const claims = decodeJwt(String(input.AccessToken));
    this.sessions.signOutEverywhere(String(claims.username), typeof claims.jti === "string" ? claims.jti : undefined);
    return { status: 200, body: {} };
  }

  async adminUserGlobalSignOut(input: Json): Promise<Answer> {
    const username = String(input.Username);
    const user = username.includes("@") ? await this.findByEmail(input.UserPoolId, username) : { Username: username };
    const found = await this.forward("AdminGetUser", { UserPoolId: input.UserPoolId, Username: user?.Username ?? username });
    if (found.status !== 200) return found;
    this.sessions.signOutEverywhere(String((found.body as Json).Username));
    return { status: 200, body: {} };
  }

  /** AWS pages ListUsers by Limit with an opaque PaginationToken. */
  private async listUsers(input: Json): Promise<Answer> {
    const { Limit, PaginationToken, ...rest } = input;
    const all = await this.forward("ListUsers", rest);
    if (all.status !== 200) return all;
    const users = ((all.body as Json).Users as Json[]) ?? [];
    const offset = typeof PaginationToken === "string" ? Number(Buffer.from(PaginationToken, "base64url").toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) return fail("InvalidParameterException", "Invalid pagination token.");
    const limit = typeof Limit === "number" ? Limit : 60;
    const page = users.slice(offset, offset + limit);
    const next = offset + limit < users.length ? Buffer.from(String(offset + limit)).toString("base64url") : undefined;
    return { status: 200, body: { Users: page, ...(next ? { PaginationToken: next } : {}) } };
  }
}
