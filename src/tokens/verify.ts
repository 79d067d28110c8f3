import { errors, jwtVerify, type JWTHeaderParameters, type FlattenedJWSInput } from "jose";
import type { Config } from "../config";
import { AuthError } from "../errors";
import { type AccessClaims, readClaims } from "./claims";
import { JwksUnavailable, keySetFor } from "./jwks";

/** Clock tolerance for exp, nbf and iat (API.md). */
export const CLOCK_TOLERANCE_S = 60;
/** Longer than any Cognito access token; longer ones are refused before parsing. */
const MAX_TOKEN_LENGTH = 8192;

const invalid = (reason: string) =>
  new AuthError("unauthorized", "The access token is not valid.", { cause: { reason } });

/** jose error codes -> our codes; anything unlisted is `unauthorized`. */
const JOSE_CODES: Record<string, "token_expired" | "upstream_unavailable"> = {
  ERR_JWT_EXPIRED: "token_expired",
  ERR_JWKS_TIMEOUT: "upstream_unavailable",
};

function mapVerifyError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof JwksUnavailable) return keysUnavailable(err.message);
  if (err instanceof errors.JOSEError) {
    const code = JOSE_CODES[err.code];
    if (code === "token_expired") return new AuthError("token_expired", "The access token has expired.");
    if (code === "upstream_unavailable") return keysUnavailable(err.code);
    return invalid(err.code);
  }
  return invalid("malformed");
}

const keysUnavailable = (reason: string) =>
  new AuthError("upstream_unavailable", "The signing keys cannot be fetched; retry later.", {
    headers: { "Retry-After": "5" },
    cause: { reason },
  });

/**
 * Verifies a Cognito access token: header and key, signature, then the Cognito
 * claims in a fixed order (issuer, token_use, client_id, exp/nbf/iat).
 * Throws AuthError `unauthorized`, `token_expired` or `upstream_unavailable`.
 */
export async function verifyAccessToken(config: Config, token: string): Promise<AccessClaims> {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid("too long");
  const keySet = keySetFor(config.jwksUrl, config.timeoutMs);
  const getKey = (header: JWTHeaderParameters, input: FlattenedJWSInput) => {
    if (typeof header.kid !== "string" || header.kid === "") throw invalid("no kid");
    return keySet(header, input);
  };
  let payload;
  try {
    ({ payload } = await jwtVerify(token, getKey, {
      issuer: config.issuer,
      algorithms: ["RS256"],
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["exp", "iat", "sub"],
    }));
  } catch (err) {
    throw mapVerifyError(err);
  }
  if (payload.token_use !== "access") throw invalid("token_use");
  const claims = readClaims(payload);
  if (!claims) throw invalid("claim types");
  if (claims.clientId !== config.clientId) throw invalid("client_id");
  if (claims.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) throw invalid("iat in the future");
  return claims;
}
