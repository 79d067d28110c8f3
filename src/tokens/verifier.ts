import { Cognito } from "../cognito/client";
import type { Config } from "../config";
import type { AccessClaims } from "./claims";
import { remoteKeys } from "./jwks";
import { Revocations } from "./revocations";
import { cognitoVerdicts } from "./settle";
import { acceptsClient, CLOCK_TOLERANCE_S, expired, invalid, verifySignedToken } from "./verify";
import { VerifiedCache } from "./verified-cache";

/** The access-token verifier of one configuration; see createVerifier. */
export interface Verifier {
  /**
   * Verifies a Cognito access token (docs/API.md, "Access-token
   * verification"). A token verified before skips the RSA check, but `exp`
   * and revocation are checked on every call. Throws AuthError
   * `unauthorized`, `token_expired` or `upstream_unavailable`. `clientIds`:
   * the app clients whose tokens pass (the gateway's machine clients);
   * default, the configured client alone.
   */
  verify(token: string, clientIds?: ReadonlySet<string>): Promise<AccessClaims>;
}

/**
 * The verifier of a parsed `config`, as aws-jwt-verify's `CognitoJwtVerifier.create()`:
 * built once and reused by every request, it owns the JWKS source, the
 * verified-token cache, the revocation check (`revocations`: the REVOCATIONS
 * namespace, when bound) and Cognito's verdicts on the tokens that check
 * leaves unsure, asked with one Cognito client.
 */
export function buildVerifier(config: Config, revocations?: KVNamespace): Verifier {
  const keys = remoteKeys(config.jwksUrl, config.timeoutMs, config.keys);
  const verified = new VerifiedCache();
  const logouts = revocations && new Revocations(revocations);
  const acceptedByCognito = cognitoVerdicts(new Cognito(config));
  return {
    async verify(token, clientIds) {
      let claims = verified.get(token);
      if (!claims) {
        claims = await verifySignedToken(config, token, keys, clientIds);
        verified.set(token, claims);
      }
      // A token verified for a wider set of clients is held too: its client is checked on every call.
      if (!acceptsClient(config, claims, clientIds)) throw invalid("client_id");
      if (claims.exp + CLOCK_TOLERANCE_S <= Date.now() / 1000) {
        verified.delete(token);
        throw expired();
      }
      const verdict = await logouts?.check(claims);
      if (verdict?.state === "revoked") throw invalid("revoked");
      // Issued within the second of a global logout: only Cognito can tell on which side.
      if (verdict?.state === "unsure" && !(await acceptedByCognito(token, `${claims.jti ?? token}@${verdict.revokedAtMs}`))) {
        throw invalid("revoked");
      }
      return claims;
    },
  };
}
