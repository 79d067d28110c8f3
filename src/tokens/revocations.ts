import type { AccessClaims } from "./claims";

/** KV's smallest TTL. */
const MIN_TTL_S = 60;

const sessionKey = (id: string) => `session:${id}`;
const userKey = (sub: string) => `user:${sub}`;

/** The session an access token belongs to: AWS's `origin_jti` (shared by refreshes), else `jti`. */
const sessionOf = (claims: AccessClaims) => claims.originJti ?? claims.jti;

/**
 * Logouts recorded in the optional REVOCATIONS KV namespace, so that a
 * logged-out access token stops passing here before its `exp`. Entries live
 * as long as the tokens they refuse could.
 */
export class Revocations {
  constructor(private readonly kv: KVNamespace) {}

  /** Logout: refuses every access token of the caller's session. */
  async revokeSession(claims: AccessClaims, now = Date.now() / 1000): Promise<void> {
    const id = sessionOf(claims);
    if (!id) return;
    const ttl = Math.max(MIN_TTL_S, Math.ceil(claims.exp - now) + 60);
    await this.kv.put(sessionKey(id), "1", { expirationTtl: ttl });
  }

  /** Global logout: refuses every access token of the user issued until now. */
  async revokeUser(claims: AccessClaims, now = Date.now() / 1000): Promise<void> {
    // Tokens issued before now live at most one token lifetime from now.
    const ttl = Math.max(MIN_TTL_S, Math.ceil(claims.exp - claims.iat) + 60);
    await this.kv.put(userKey(claims.sub), String(Math.floor(now)), { expirationTtl: ttl });
  }

  /** True when a recorded logout covers this token. */
  async isRevoked(claims: AccessClaims): Promise<boolean> {
    const id = sessionOf(claims);
    const [session, user] = await Promise.all([
      id ? this.kv.get(sessionKey(id)) : null,
      this.kv.get(userKey(claims.sub)),
    ]);
    return session !== null || (user !== null && claims.iat <= Number(user));
  }
}
