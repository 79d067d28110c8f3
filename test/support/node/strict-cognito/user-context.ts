// UserContextData (UserContextDataType: what Cognito threat protection learns of
// the user behind a server): what AWS accepts in it beyond the model's types,
// and a log of what the Worker sent, so tests can see it reach the operations
// that take it and no other. That only operations whose model has the member
// get it is checkInput's unknown-member rule.
import { isIP } from "node:net";
import { decodeJwt } from "jose";
import type { Json } from "./emulated";
import type { ClientInfo } from "./secrets";

/** API reference, UserContextDataType: IpAddress and EncodedData are 0 to 131,072 characters. */
const MAX_LENGTH = 131_072;

/** Violations in `input.UserContextData`, for the client the call names. */
export function userContextProblems(op: string, input: Json, client: ClientInfo | undefined): string[] {
  const data = input.UserContextData;
  if (data === null || typeof data !== "object") return [];
  const out: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === "string" && value.length > MAX_LENGTH) out.push(`${op}.UserContextData.${name}: over ${MAX_LENGTH} characters`);
  }
  const ip = (data as Json).IpAddress;
  if (ip === undefined) return out;
  // UserPoolClientType.EnablePropagateAdditionalUserContextData: without it AWS takes no
  // IpAddress from the unauthenticated operations, and only a client with a secret can have it.
  if (!client?.secret || !client.propagateUserContext) {
    out.push(`${op}.UserContextData.IpAddress: the app client does not accept the user's IP address`);
  } else if (typeof ip !== "string" || isIP(ip) === 0) {
    out.push(`${op}.UserContextData.IpAddress: not an IP address`);
  }
  return out;
}

/** The user a call is about: Username, USERNAME, or the username in its refresh or access token. */
function subjectOf(input: Json): string | undefined {
  const params = (input.AuthParameters ?? input.ChallengeResponses) as Json | undefined;
  const named = input.Username ?? params?.USERNAME;
  if (typeof named === "string") return named;
  const refresh = params?.REFRESH_TOKEN ?? input.RefreshToken;
  const [token, claim] = refresh ? [refresh, "cognito:username"] : [input.AccessToken, "username"];
  try {
    return typeof token === "string" ? String(decodeJwt(token)[claim]) : undefined;
  } catch {
    return undefined;
  }
}

const MAX_ENTRIES = 10_000;

/**
 * The UserContextData (or null) of the last call of each operation for each
 * user, and how many calls of each operation each user had (tests count the
 * calls of their own user, which other test files running meanwhile do not touch).
 */
export class ContextLog {
  private readonly last = new Map<string, unknown>();
  private readonly counts = new Map<string, Map<string, number>>();

  record(op: string, input: Json): void {
    const user = subjectOf(input);
    if (user === undefined) return;
    const ops = this.counts.get(user) ?? new Map<string, number>();
    ops.set(op, (ops.get(op) ?? 0) + 1);
    this.counts.delete(user);
    this.counts.set(user, ops);
    if (this.counts.size > MAX_ENTRIES) this.counts.delete(this.counts.keys().next().value ?? "");
    this.last.delete(`${op} ${user}`);
    this.last.set(`${op} ${user}`, input.UserContextData ?? null);
    if (this.last.size > MAX_ENTRIES) this.last.delete(this.last.keys().next().value ?? "");
  }

  /** The calls made for `user`, by operation. */
  callsOf(user: string): Record<string, number> {
    return Object.fromEntries(this.counts.get(user) ?? []);
  }

  /** What the last `op` call for `user` carried; undefined when there was none. */
  lastOf(op: string, user: string): unknown {
    return this.last.get(`${op} ${user}`);
  }
}
