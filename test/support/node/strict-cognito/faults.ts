// Faults the tests inject into the Cognito stand-in: the next `times` calls of
// an operation (for one client and username, or any) time out, fail with 500,
// are throttled, answer malformed JSON, or fail with a given Cognito error.
// Chaos (`npm run load -- --faults`): a share of all calls fails at random.
import { decodeJwt } from "jose";

export type FaultKind = "timeout" | "500" | "throttle" | "malformed" | "error" | "mfa-setup";

export interface Fault {
  op: string;
  clientId?: string;
  /** Matches Username, AuthParameters.USERNAME, ChallengeResponses.USERNAME, or the username in the access or refresh token. */
  username?: string;
  /**
   * Matches the first factor a choice-based sign-in asks for: InitiateAuth's
   * AuthParameters.PREFERRED_CHALLENGE or SELECT_CHALLENGE's ChallengeResponses.ANSWER
   * (e.g. "EMAIL_OTP": only the call that would send the code).
   */
  answer?: string;
  kind: FaultKind;
  /** With kind "error": the Cognito __type and message to answer. */
  type?: string;
  message?: string;
  times: number;
}

/** A claim of an access token, for user calls that carry no ClientId or Username. */
function tokenClaim(token: unknown, claim: "client_id" | "username" | "cognito:username"): unknown {
  if (typeof token !== "string") return undefined;
  try {
    return decodeJwt(token)[claim];
  } catch {
    return undefined;
  }
}

/** The faults chaos draws from: every way an outage looks to a client. */
const CHAOS_KINDS: FaultKind[] = ["timeout", "500", "throttle", "malformed"];

export class Faults {
  private queue: Fault[] = [];
  /** Share of calls (0..1) that fail at random; 0 is off. */
  private chaosRate = 0;
  /** Calls that met a fault, by operation (tests assert how often the Worker retried). */
  readonly hits = new Map<string, number>();

  add(fault: Fault): void {
    this.queue.push({ ...fault });
  }

  clear(): void {
    this.queue = [];
  }

  /** Makes a share of every later call fail at random (0 stops it). */
  chaos(rate: number): void {
    this.chaosRate = Math.min(Math.max(rate, 0), 1);
  }

  /** The fault for this call, if any, consuming one of its `times`. */
  take(op: string, input: Record<string, unknown>): Fault | undefined {
    const params = input.AuthParameters as Record<string, unknown> | undefined;
    const responses = input.ChallengeResponses as Record<string, unknown> | undefined;
    const username =
      input.Username ??
      params?.USERNAME ??
      responses?.USERNAME ??
      tokenClaim(input.AccessToken, "username") ??
      tokenClaim(params?.REFRESH_TOKEN ?? input.RefreshToken, "cognito:username");
    const answer = input.ChallengeName === "SELECT_CHALLENGE" ? responses?.ANSWER : params?.PREFERRED_CHALLENGE;
    const clientId = input.ClientId ?? tokenClaim(input.AccessToken, "client_id");
    const fault = this.queue.find(
      (f) =>
        f.op === op &&
        (!f.clientId || f.clientId === clientId) &&
        (!f.username || f.username === username) &&
        (!f.answer || f.answer === answer) &&
        f.times > 0,
    );
    if (!fault) return this.chaosRate > 0 && Math.random() < this.chaosRate ? this.randomFault(op) : undefined;
    fault.times--;
    this.hits.set(op, (this.hits.get(op) ?? 0) + 1);
    return fault;
  }

  private randomFault(op: string): Fault {
    this.hits.set(op, (this.hits.get(op) ?? 0) + 1);
    return { op, kind: CHAOS_KINDS[Math.floor(Math.random() * CHAOS_KINDS.length)], times: 0 };
  }
}
