// Re-signs cognito-local's tokens with its own (published, dev-only) key so
// that they carry what AWS puts in them and cognito-local does not: every
// sign-in gets an `origin_jti` in its access and ID tokens, and tokens
// refreshed from it keep that `origin_jti` and the original sign-in's
// `auth_time` (cognito-local resets auth_time on every refresh). AWS: "When
// you turn on token revocation, the origin_jti and jti claims are added to
// the access and ID tokens" (re:Post, revoking Cognito refresh tokens). It
// also mints the refresh tokens that rotation hands out.
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, type JWTPayload, SignJWT } from "jose";

const require = createRequire(import.meta.url);
const { jwk } = require("cognito-local/lib/keys/cognitoLocal.private.json") as { jwk: JWK };
const key = importJWK(jwk, "RS256");

/** What a sign-in's tokens share with every token refreshed from it. */
export interface Origin {
  originJti: string;
  authTime: number;
}

/** A new sign-in's origin, read from its access token. */
export function newOrigin(accessToken: string): Origin {
  const claims = decodeJwt(accessToken);
  return { originJti: randomUUID(), authTime: Number(claims.auth_time ?? claims.iat) };
}

/** `token` with `origin`'s claims, signed again with cognito-local's key and header. */
export async function reissue(token: string, origin: Origin): Promise<string> {
  const header = decodeProtectedHeader(token);
  const claims: JWTPayload = { ...decodeJwt(token), auth_time: origin.authTime, origin_jti: origin.originJti };
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: header.kid, typ: header.typ }).sign(await key);
}

/** `claims` signed as cognito-local signs its tokens (RS256, kid CognitoLocal), for tokens the stand-in issues itself. */
export async function signLikeCognitoLocal(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "CognitoLocal" }).sign(await key);
}

/**
 * A new refresh token in place of `refreshToken`, as rotation issues it: the
 * same user and issuer, a new `jti`, and the old token's expiry (AWS: the new
 * token is valid for the remaining time of the original).
 */
export async function rotatedRefreshToken(refreshToken: string): Promise<string> {
  const header = decodeProtectedHeader(refreshToken);
  const claims: JWTPayload = { ...decodeJwt(refreshToken), jti: randomUUID(), iat: Math.floor(Date.now() / 1000) };
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: header.typ }).sign(await key);
}
