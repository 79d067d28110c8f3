import type { AccessClaims } from "./claims";

/** KV's smallest TTL. */
const MIN_TTL_S = 60;
/** How far AWS's clock (iat) and ours (the logout time) may be apart; tokens that close are asked of Cognito. */
const CLOCK_SLACK_S = 1;
/** Clock tolerance kept on top of a token's life (as in verification). */
const TOLERANCE_S = 60;
/** Cognito's longest access-token life: what a user-wide entry must outlive when the caller does not know better. */
const MAX_ACCESS_LIFE_S = 24 * 3600;

const sessionKey = (id: string) => `session:${id}`;
const userKey = (sub: string) => `user:${sub}`;

/** The session an access token belongs to: AWS's `origin_jti` (shared by refreshes), else `jti`. */
const sessionOf = (claims: AccessClaims) => claims.originJti ?? claims.jti;

/** A token's life as its claims tell it, or the longest Cognito allows. */
export const lifeOf = (claims: Pick<AccessClaims, "exp" | "iat">): number =>
  claims.exp > claims.iat ? claims.exp - claims.iat : MAX_ACCESS_LIFE_S;

/**
 * What the recorded logouts say of a token. `unsure`: the user logged out
 * everywhere within about a second of the token's `iat` (whole seconds, by
 * AWS's clock), so only Cognito can tell whether it came before or after.
 */
type RevocationVerdict = { state: "valid" | "revoked" } | { state: "unsure"; revokedAtMs: number };

/** A user-wide entry: milliseconds; entries written before they were exact hold seconds. */
function revokedAtMs(value: string): number {
  const n = Number(value);
  return n < 1e11 ? (n + 1) * 1000 : n;
}

/**
 * Logouts recorded in the optional REVOCATIONS KV namespace, so that a
 * logged-out access token stops passing here before its `exp`. Entries live
 * as long as the tokens they refuse could.
 */
export class Revocations {
  constructor(private readonly kv: KVNamespace) {}

  /**
   * Logout: refuses every access token of the caller's session. Tokens of the
   * same session may have been refreshed until now, so the entry outlives a
   * whole token life from now, not just the presented token's `exp`.
   */
  async revokeSession(claims: AccessClaims): Promise<void> {
    const id = sessionOf(claims);
    if (id) await this.revokeSessionId(id, lifeOf(claims));
  }

  /** Refuses every access token of session `id` (an origin_jti, else a jti) whose tokens live `lifeS` seconds. */
  async revokeSessionId(id: string, lifeS: number): Promise<void> {
    await this.kv.put(sessionKey(id), "1", { expirationTtl: Math.max(MIN_TTL_S, lifeS + TOLERANCE_S) });
  }

  /**
   * Global logout, password change, account deletion, admin action: refuses
   * every access token of the user issued before now (milliseconds).
   * `lifeS`: the user's access-token life, when known.
   */
  async revokeUser(sub: string, lifeS = MAX_ACCESS_LIFE_S, nowMs = Date.now()): Promise<void> {
    await this.kv.put(userKey(sub), String(nowMs), { expirationTtl: Math.max(MIN_TTL_S, lifeS + TOLERANCE_S) });
  }

  /** Whether a recorded logout covers this token. */
  async check(claims: AccessClaims): Promise<RevocationVerdict> {
    const id = sessionOf(claims);
    const [session, user] = await Promise.all([
      id ? this.kv.get(sessionKey(id)) : null,
      this.kv.get(userKey(claims.sub)),
    ]);
    if (session !== null) return { state: "revoked" };
    if (user === null) return { state: "valid" };
    const at = revokedAtMs(user);
    const second = Math.floor(at / 1000);
    // Cognito's clock and ours may disagree by a little: a second either way is settled by Cognito.
    if (claims.iat < second - CLOCK_SLACK_S) return { state: "revoked" };
    if (claims.iat > second + CLOCK_SLACK_S) return { state: "valid" };
    return { state: "unsure", revokedAtMs: at };
  }
}
