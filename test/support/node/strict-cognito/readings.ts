// Where AWS's documentation leaves room, the stand-in answers either way, as
// a test chooses for one user (POST /__reading), so that test files running
// side by side against one stand-in never see each other's choice. Every user
// starts with AWS_WORDS, the reading closest to what AWS documents.
import { type Answer, fail, type Json } from "./emulated";
import type { Users } from "./users";

export interface Reading {
  /**
   * RevokeToken of a refresh token that rotation replaced or issued. AWS:
   * RevokeToken revokes the token and the access tokens issued from it, and
   * the user's other refresh tokens "are not affected"; whether the tokens
   * rotated from or into it are is not documented. "token": only the presented
   * token and its access tokens end; "family": every token of its sign-in ends.
   */
  revoke: "token" | "family";
  /** The origin_jti of the tokens a rotated refresh token issues: the sign-in's ("kept") or one of its own ("new"); undocumented. */
  originJti: "kept" | "new";
  /**
   * GetUserAuthFactors' ConfiguredUserAuthFactors for a user with TOTP: with
   * SOFTWARE_TOKEN ("listed": the SDK's enum has it) or without ("unlisted":
   * the list is the user's options for USER_AUTH, where TOTP is no first factor).
   */
  softwareTokenFactor: "listed" | "unlisted";
}

export const AWS_WORDS: Reading = { revoke: "token", originJti: "kept", softwareTokenFactor: "listed" };

const CHOICES: { [K in keyof Reading]: readonly Reading[K][] } = {
  revoke: ["token", "family"],
  originJti: ["kept", "new"],
  softwareTokenFactor: ["listed", "unlisted"],
};

/** The problem with a requested reading, or undefined when every choice it makes is one of CHOICES. */
function readingProblem(choice: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(choice)) {
    const allowed: readonly unknown[] | undefined = (CHOICES as Record<string, readonly unknown[]>)[name];
    if (!allowed?.includes(value)) return `no reading ${name}=${String(value)}`;
  }
  return undefined;
}

export class Readings {
  private readonly byUser = new Map<string, Reading>();

  /** Chooses, for the user with Cognito username `username`, the readings `choice` names. */
  choose(username: string, choice: Partial<Reading>): void {
    this.byUser.set(username, { ...this.of(username), ...choice });
  }

  /** The readings of the user with Cognito username `username`. */
  of(username: string): Reading {
    return this.byUser.get(username) ?? AWS_WORDS;
  }
}

/** /__reading: `{ poolId, username (any of the user's names), ...choices }`, for that user alone. */
export async function chooseReading(readings: Readings, users: Users, spec: Json): Promise<Answer> {
  const { poolId, username, ...choice } = spec;
  const problem = readingProblem(choice);
  if (problem) return fail("InvalidParameterException", problem);
  const user = await users.find(String(poolId), String(username));
  if (!user) return fail("UserNotFoundException", "User does not exist.");
  readings.choose(user.username, choice);
  return { status: 200, body: { reading: readings.of(user.username) } };
}
