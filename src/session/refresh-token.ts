import { base64url, fromBase64url } from "../crypto";
import { AuthError } from "../errors";

const PREFIX = "ce1.";

/**
 * The opaque refresh token we hand out: Cognito's token plus the user's Cognito
 * username, which REFRESH_TOKEN_AUTH needs for SECRET_HASH when the client has a
 * secret. The username is the user's `sub` in email pools and is no secret; a
 * tampered one only makes Cognito refuse the refresh.
 */
export const wrapRefreshToken = (username: string, token: string): string => `${PREFIX}${base64url(username)}.${token}`;

/** Cognito's TokenModelType: a string of other characters is none of its tokens, and RevokeToken refuses it. */
const COGNITO_TOKEN = /^[\w=.-]+$/;

/** Splits our opaque refresh token; a bare Cognito token has no username. */
export function unwrapRefreshToken(value: string): { username?: string; token: string } {
  if (!value.startsWith(PREFIX)) {
    if (!COGNITO_TOKEN.test(value)) throw badRefresh();
    return { token: value };
  }
  const rest = value.slice(PREFIX.length);
  const dot = rest.indexOf(".");
  if (dot < 1 || !COGNITO_TOKEN.test(rest.slice(dot + 1))) throw badRefresh();
  try {
    return { username: new TextDecoder().decode(fromBase64url(rest.slice(0, dot))), token: rest.slice(dot + 1) };
  } catch {
    throw badRefresh();
  }
}

const badRefresh = () => new AuthError("invalid_refresh_token");
