import { compactVerify, errors, type FlattenedJWSInput, type JWTHeaderParameters } from "jose";
import type { Config } from "../config";
import { AuthError } from "../errors";
import { type AccessClaims, type JsonPayload, readClaims } from "./claims";
import { JwksUnavailable, type KeyResolver } from "./jwks";

/** Clock tolerance for exp, nbf and iat (docs/API.md). */
export const CLOCK_TOLERANCE_S = 60;
/** Longer than any Cognito access token; longer ones are refused before parsing. */
const MAX_TOKEN_LENGTH = 8192;

const decoder = new TextDecoder();

export const invalid = (reason: string) => new AuthError("unauthorized", { cause: { reason } });
export const expired = () => new AuthError("token_expired");
const keysUnavailable = (reason: string) =>
  new AuthError("upstream_unavailable", "The signing keys cannot be fetched; retry later.", { cause: { reason } });

/** jose error codes that are not plain `unauthorized`. */
const JOSE_CODES: Record<string, () => AuthError> = {
  ERR_JWKS_TIMEOUT: () => keysUnavailable("ERR_JWKS_TIMEOUT"),
};

function mapVerifyError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof JwksUnavailable) return keysUnavailable(err.message);
  if (err instanceof errors.JOSEError) return JOSE_CODES[err.code]?.() ?? invalid(err.code);
  return invalid("malformed");
}

/** Whether the token's `client_id` is the configured client, or one of `clientIds` when given. */
export const acceptsClient = (config: Config, claims: AccessClaims, clientIds?: ReadonlySet<string>): boolean =>
  clientIds ? clientIds.has(claims.clientId) : claims.clientId === config.clientId;

/**
 * Signature and claims of an access token (docs/API.md, "Access-token
 * verification"), with the keys `keys` resolves, in a fixed order: length, header
 * and key, signature, issuer, token_use, client_id (one of `clientIds`, default
 * the configured one), times.
 */
export async function verifySignedToken(config: Config, token: string, keys: KeyResolver, clientIds?: ReadonlySet<string>): Promise<AccessClaims> {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid("too long");
  const getKey = (header: JWTHeaderParameters, input: FlattenedJWSInput) => {
    if (typeof header.kid !== "string" || header.kid === "") throw invalid("no kid");
    return keys(header, input);
  };
  let payload: JsonPayload;
  try {
    const { payload: bytes } = await compactVerify(token, getKey, { algorithms: ["RS256"] });
    payload = JSON.parse(decoder.decode(bytes));
  } catch (err) {
    throw mapVerifyError(err);
  }
  // jwtVerify's claim checks, written out: its claims module costs ~1 KiB of the bundle for the four we need.
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) throw invalid("payload");
  if (typeof payload.iss !== "string" || !config.issuers.includes(payload.iss)) throw invalid("iss");
  const now = Date.now() / 1000;
  if (payload.nbf !== undefined && !(typeof payload.nbf === "number" && payload.nbf <= now + CLOCK_TOLERANCE_S)) {
    throw invalid("nbf");
  }
  if (payload.token_use !== "access") throw invalid("token_use");
  const claims = readClaims(payload);
  if (!claims) throw invalid("claim types");
  if (claims.exp <= now - CLOCK_TOLERANCE_S) throw expired();
  if (!acceptsClient(config, claims, clientIds)) throw invalid("client_id");
  if (claims.iat > now + CLOCK_TOLERANCE_S) throw invalid("iat in the future");
  return claims;
}
