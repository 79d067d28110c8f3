// Token bookkeeping cognito-local lacks: access-token verification on user
// calls, RevokeToken invalidating the access tokens issued from a refresh
// token, GlobalSignOut invalidating every token of a user, and refreshed
// tokens that keep their sign-in's auth_time and origin_jti.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { newOrigin, type Origin, reissue } from "./reissue";

interface RefreshRecord {
  username: string;
  accessJtis: Set<string>;
  revoked: boolean;
  origin: Origin;
}

export class Sessions {
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly revokedJtis = new Set<string>();
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(private readonly cognitoLocalUrl: string) {}

  /**
   * Records tokens Cognito issued and answers them as AWS would: a sign-in
   * starts an origin (auth_time, origin_jti) that its refreshes keep.
   * `presentedRefresh` is the token a refresh flow used.
   */
  async issued(result: Record<string, unknown>, presentedRefresh?: string): Promise<Record<string, unknown>> {
    if (typeof result.AccessToken !== "string") return result;
    const refresh = typeof result.RefreshToken === "string" ? result.RefreshToken : presentedRefresh;
    const known = presentedRefresh ? this.refreshTokens.get(presentedRefresh) : undefined;
    const origin = known?.origin ?? newOrigin(result.AccessToken);
    const out: Record<string, unknown> = { ...result, AccessToken: await reissue(result.AccessToken, origin) };
    if (typeof result.IdToken === "string") out.IdToken = await reissue(result.IdToken, origin);
    const access = decodeJwt(String(out.AccessToken));
    if (!refresh) return out;
    let record = this.refreshTokens.get(refresh);
    if (!record) {
      record = { username: String(access.username), accessJtis: new Set(), revoked: false, origin };
      this.refreshTokens.set(refresh, record);
    }
    if (typeof access.jti === "string") record.accessJtis.add(access.jti);
    return out;
  }

  /** RevokeToken: the refresh token and every access token issued from it. */
  revoke(refreshToken: string): void {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return;
    record.revoked = true;
    for (const jti of record.accessJtis) this.revokedJtis.add(jti);
  }

  /** GlobalSignOut: every token of `username`. */
  signOutEverywhere(username: string, presentedJti?: string): void {
    if (presentedJti) this.revokedJtis.add(presentedJti);
    for (const [token, record] of this.refreshTokens) if (record.username === username) this.revoke(token);
  }

  isRefreshRevoked(refreshToken: string): boolean {
    return this.refreshTokens.get(refreshToken)?.revoked ?? false;
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
      if (typeof payload.jti === "string" && this.revokedJtis.has(payload.jti)) {
        return { error: "Access Token has been revoked" };
      }
      return { claims: payload };
    } catch (err) {
      const expired = err instanceof Error && "code" in err && err.code === "ERR_JWT_EXPIRED";
      return { error: expired ? "Access Token has expired" : "Invalid Access Token" };
    }
  }
}
