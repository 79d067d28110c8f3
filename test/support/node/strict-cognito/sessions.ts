// Token bookkeeping cognito-local lacks: access-token verification on user
// calls (signature, expiry, the aws.cognito.signin.user.admin scope,
// revocation), refresh tokens bound to the app client that got them,
// RevokeToken invalidating the access tokens of its sign-in (origin_jti, so
// also those of later refreshes), GlobalSignOut invalidating every token of a
// user, and refreshed tokens that keep their sign-in's auth_time and origin_jti.
// With refresh-token rotation, the tokens of one sign-in form a family; how far
// RevokeToken reaches into it, and whether a rotated token keeps the sign-in's
// origin_jti, is each user's reading (readings.ts). A rotated-away token stops
// working once the app client's grace period is over (RefreshTokenReuseException).
import { randomUUID } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import type { Readings } from "./readings";
import { newOrigin, type Origin, reissue } from "./reissue";

interface RefreshRecord {
  username: string;
  clientId: string;
  revoked: boolean;
  origin: Origin;
  /** The sign-in this token comes from, shared by every token rotated from it. */
  family: string;
  /** The jti of every access token issued with this refresh token (at sign-in, or by a refresh that answered no new one). */
  accessJtis: Set<string>;
  /** A token rotation issued: the cognito-local refresh token of its sign-in, which cognito-local knows it by. */
  upstream?: string;
  /** Set when rotation replaced this token: it stops working after this time (the grace period). */
  invalidAfterMs?: number;
}

/**
 * The scope every token-authorised user operation requires (API reference of
 * GetUser, ChangePassword, GlobalSignOut, ...: "It must include the scope
 * aws.cognito.signin.user.admin").
 */
const USER_ADMIN_SCOPE = "aws.cognito.signin.user.admin";

export class Sessions {
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly revokedJtis = new Set<string>();
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(
    private readonly cognitoLocalUrl: string,
    private readonly readings: Readings,
  ) {}

  /**
   * Records tokens Cognito issued and answers them as AWS would: a sign-in
   * starts an origin (auth_time, origin_jti) that its refreshes keep; a
   * rotated token keeps the auth_time, and the origin_jti as the user's reading says.
   * `presentedRefresh` is the token a refresh flow used.
   */
  async issued(result: Record<string, unknown>, clientId: string, presentedRefresh?: string): Promise<Record<string, unknown>> {
    if (typeof result.AccessToken !== "string") return result;
    const username = String(decodeJwt(result.AccessToken).username);
    const refresh = typeof result.RefreshToken === "string" ? result.RefreshToken : presentedRefresh;
    const known = presentedRefresh ? this.refreshTokens.get(presentedRefresh) : undefined;
    const rotated = known && refresh !== presentedRefresh;
    const ownOrigin = rotated && this.readings.of(username).originJti === "new";
    const origin = known ? (ownOrigin ? { ...known.origin, originJti: randomUUID() } : known.origin) : newOrigin(result.AccessToken);
    const out: Record<string, unknown> = { ...result, AccessToken: await reissue(result.AccessToken, origin) };
    if (typeof result.IdToken === "string") out.IdToken = await reissue(result.IdToken, origin);
    if (refresh && !this.refreshTokens.has(refresh)) {
      this.refreshTokens.set(refresh, { username, clientId, revoked: false, origin, family: known?.family ?? origin.originJti, accessJtis: new Set() });
    }
    const jti = decodeJwt(String(out.AccessToken)).jti;
    if (refresh && typeof jti === "string") this.refreshTokens.get(refresh)?.accessJtis.add(jti);
    return out;
  }

  /**
   * GetTokensFromRefreshToken rotated `presented` into `minted`: the new token
   * stands for the same cognito-local token, and the old one works for
   * `graceSeconds` more (from its first rotation; RetryGracePeriodSeconds).
   */
  rotated(presented: string, minted: string, graceSeconds: number): void {
    const old = this.refreshTokens.get(presented);
    const record = this.refreshTokens.get(minted);
    if (!old || !record) return;
    record.upstream = old.upstream ?? presented;
    old.invalidAfterMs ??= Date.now() + graceSeconds * 1000;
  }

  /**
   * Test control (/__elapse): moves the grace periods of `username`'s rotated-out
   * refresh tokens `seconds` nearer their end, as if that much time had passed
   * for them alone. Returns how many tokens it moved.
   */
  elapse(username: string, seconds: number): number {
    let moved = 0;
    for (const record of this.refreshTokens.values()) {
      if (record.username !== username || record.invalidAfterMs === undefined) continue;
      record.invalidAfterMs -= seconds * 1000;
      moved++;
    }
    return moved;
  }

  /** The cognito-local token a refresh token stands for; undefined when it was never issued. */
  upstreamOf(refreshToken: string): string | undefined {
    const record = this.refreshTokens.get(refreshToken);
    return record && (record.upstream ?? refreshToken);
  }

  /**
   * RevokeToken: the refresh token and the access tokens issued with it; with
   * the "family" reading (or `wholeFamily`), every token rotated from or into it too.
   */
  revoke(refreshToken: string, wholeFamily = false): void {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return;
    const family = wholeFamily || this.readings.of(record.username).revoke === "family";
    for (const other of family ? this.refreshTokens.values() : [record]) {
      if (other.family !== record.family) continue;
      other.revoked = true;
      for (const jti of other.accessJtis) this.revokedJtis.add(jti);
    }
  }

  /**
   * Cognito's refusal of a refresh token presented by `clientId` to `op`
   * (InitiateAuth, GetTokensFromRefreshToken or RevokeToken), or undefined. A
   * token is bound to the app client it was issued to.
   */
  refreshRefusal(op: string, refreshToken: string, clientId: string): { type: string; message: string } | undefined {
    const record = this.refreshTokens.get(refreshToken);
    if (record && record.clientId !== clientId) {
      // RevokeToken's only authorisation error is UnauthorizedException (API reference, RevokeToken, Errors).
      return op === "RevokeToken"
        ? { type: "UnauthorizedException", message: "Invalid client for the refresh token" }
        : { type: "NotAuthorizedException", message: "Invalid Refresh Token" };
    }
    if (op === "RevokeToken" || !record) return undefined;
    if (record.revoked) return { type: "NotAuthorizedException", message: "Refresh Token has been revoked" };
    // A token rotated out, once its grace period is over: RefreshTokenReuseException, "when your application requests
    // token refresh with a refresh token that has been invalidated by refresh-token rotation" (GetTokensFromRefreshToken, Errors).
    if (record.invalidAfterMs !== undefined && Date.now() > record.invalidAfterMs) {
      return op === "GetTokensFromRefreshToken"
        ? { type: "RefreshTokenReuseException", message: "The refresh token has been used before." }
        : { type: "NotAuthorizedException", message: "Invalid Refresh Token" };
    }
    return undefined;
  }

  /** GlobalSignOut: every token of `username`. */
  signOutEverywhere(username: string, presentedJti?: string): void {
    if (presentedJti) this.revokedJtis.add(presentedJti);
    for (const [token, record] of this.refreshTokens) if (record.username === username) this.revoke(token, true);
  }

  /**
   * Verifies an access token as Cognito does on user calls; returns its claims
   * or Cognito's error message.
   */
  async verifyAccess(token: unknown): Promise<{ claims?: Record<string, unknown>; error?: string }> {
    if (typeof token !== "string") return { error: "Invalid Access Token" };
    let iss: string;
    try {
      iss = String(decodeJwt(token).iss);
    } catch {
      return { error: "Invalid Access Token" };
    }
    if (!iss.startsWith(this.cognitoLocalUrl)) return { error: "Invalid Access Token" };
    let keys = this.keySets.get(iss);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${iss}/.well-known/jwks.json`));
      this.keySets.set(iss, keys);
    }
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: iss });
      if (payload.token_use !== "access") return { error: "Invalid Access Token" };
      if (!String(payload.scope ?? "").split(" ").includes(USER_ADMIN_SCOPE)) {
        return { error: "Access Token does not have required scopes" };
      }
      if (typeof payload.jti === "string" && this.revokedJtis.has(payload.jti)) return { error: "Access Token has been revoked" };
      return { claims: payload };
    } catch (err) {
      const expired = err instanceof Error && "code" in err && err.code === "ERR_JWT_EXPIRED";
      return { error: expired ? "Access Token has expired" : "Invalid Access Token" };
    }
  }
}
