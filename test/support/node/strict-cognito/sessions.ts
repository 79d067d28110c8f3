// Token bookkeeping cognito-local lacks: access-token verification on user
// calls (signature, expiry, the aws.cognito.signin.user.admin scope,
// revocation), refresh tokens bound to the app client that got them,
// RevokeToken invalidating the access tokens of its sign-in (origin_jti, so
// also those of later refreshes), GlobalSignOut invalidating every token of a
// user, and refreshed tokens that keep their sign-in's auth_time and origin_jti.
// With refresh-token rotation, every token of a sign-in (its family) shares the
// origin: revoking one revokes them all, and a rotated-away token stops working
// once the app client's grace period is over.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { newOrigin, type Origin, reissue } from "./reissue";

interface RefreshRecord {
  username: string;
  clientId: string;
  revoked: boolean;
  origin: Origin;
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
  private readonly revokedOrigins = new Set<string>();
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(private readonly cognitoLocalUrl: string) {}

  /**
   * Records tokens Cognito issued and answers them as AWS would: a sign-in
   * starts an origin (auth_time, origin_jti) that its refreshes keep.
   * `presentedRefresh` is the token a refresh flow used.
   */
  async issued(result: Record<string, unknown>, clientId: string, presentedRefresh?: string): Promise<Record<string, unknown>> {
    if (typeof result.AccessToken !== "string") return result;
    const refresh = typeof result.RefreshToken === "string" ? result.RefreshToken : presentedRefresh;
    const known = presentedRefresh ? this.refreshTokens.get(presentedRefresh) : undefined;
    const origin = known?.origin ?? newOrigin(result.AccessToken);
    const out: Record<string, unknown> = { ...result, AccessToken: await reissue(result.AccessToken, origin) };
    if (typeof result.IdToken === "string") out.IdToken = await reissue(result.IdToken, origin);
    if (refresh && !this.refreshTokens.has(refresh)) {
      const username = String(decodeJwt(String(out.AccessToken)).username);
      this.refreshTokens.set(refresh, { username, clientId, revoked: false, origin });
    }
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

  /** The cognito-local token a refresh token stands for; undefined when it was never issued. */
  upstreamOf(refreshToken: string): string | undefined {
    const record = this.refreshTokens.get(refreshToken);
    return record && (record.upstream ?? refreshToken);
  }

  /** RevokeToken: the refresh token and every token of its sign-in, refreshed and rotated ones included. */
  revoke(refreshToken: string): void {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return;
    record.revoked = true;
    this.revokedOrigins.add(record.origin.originJti);
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
    if (record.revoked || this.revokedOrigins.has(record.origin.originJti)) {
      return { type: "NotAuthorizedException", message: "Refresh Token has been revoked" };
    }
    // AWS answers a token rotated out, once its grace period is over, as any invalid token.
    if (record.invalidAfterMs !== undefined && Date.now() > record.invalidAfterMs) {
      return { type: "NotAuthorizedException", message: "Invalid Refresh Token" };
    }
    return undefined;
  }

  /** GlobalSignOut: every token of `username`. */
  signOutEverywhere(username: string, presentedJti?: string): void {
    if (presentedJti) this.revokedJtis.add(presentedJti);
    for (const [token, record] of this.refreshTokens) if (record.username === username) this.revoke(token);
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
      const revoked =
        (typeof payload.jti === "string" && this.revokedJtis.has(payload.jti)) ||
        (typeof payload.origin_jti === "string" && this.revokedOrigins.has(payload.origin_jti));
      if (revoked) return { error: "Access Token has been revoked" };
      return { claims: payload };
    } catch (err) {
      const expired = err instanceof Error && "code" in err && err.code === "ERR_JWT_EXPIRED";
      return { error: expired ? "Access Token has expired" : "Invalid Access Token" };
    }
  }
}
