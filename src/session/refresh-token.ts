import * as z from "zod/mini";
import { base64url, fromBase64url } from "../crypto";
import { AuthError } from "../errors";
import { open, seal } from "../seal/aead";
import type { EdgeKeys } from "../seal/keys";

// The refresh token the Worker hands out: Cognito's token and the user's
// Cognito username (REFRESH_TOKEN_AUTH needs it for SECRET_HASH), sealed
// under a Worker key. Only what the Worker sealed opens, so a forged,
// truncated or foreign token is refused before Cognito is called, and no
// stranger can spend the pool's request quota with made-up tokens.
//
// It also carries the session's id (`s`, see sessions/), assigned at sign-in
// and sealed again into every token refreshed or rotated from it, whatever
// Cognito does with origin_jti. Tokens sealed before there was one get an id
// derived from Cognito's token (legacySid): the same one on every refresh of
// that token, and sealed into any refresh token a refresh hands out (rotated,
// or sealed again under a new secret), so the session keeps it from then on.
// Not a new random one: concurrent refreshes of one old token must agree.

const PREFIX = "ce2.";
const Content = z.lazy(() => z.object({ u: z.string(), t: z.string(), s: z.optional(z.string()) }));
const encoder = new TextEncoder();

/** Cognito's TokenModelType: a token of other characters is none of its refresh tokens. */
const COGNITO_TOKEN = /^[\w=.-]+$/;

/** A session id: 128 random bits, base64url (22 characters). */
export const SID = /^[\w-]{22}$/;

/** A new session id, for a sign-in. */
export const newSid = (): string => base64url(crypto.getRandomValues(new Uint8Array(16)));

/** The id of a session whose token was sealed before tokens carried one: the first 128 bits of a hash of Cognito's token. */
export async function legacySid(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`cognito-edge/sid\0${token}`));
  return base64url(new Uint8Array(digest).subarray(0, 16));
}

/** Seals Cognito's refresh `token`, the Cognito `username` and the session id `sid`, bound to the app client `clientId`. */
export async function wrapRefreshToken(keys: EdgeKeys, clientId: string, username: string, token: string, sid: string): Promise<string> {
  return PREFIX + base64url(await seal(keys, "refresh-token", clientId, encoder.encode(JSON.stringify({ u: username, t: token, s: sid }))));
}

/** A presented refresh token, opened. `current`: sealed under the current secret (else the previous one, to be sealed again). */
export interface OpenedRefreshToken {
  username: string;
  token: string;
  /** The session's id: sealed in, or for an earlier token derived from `token` (legacySid). */
  sid: string;
  current: boolean;
}

/** Opens a refresh token this Worker sealed; anything else is 401 `invalid_refresh_token`, and Cognito is never asked. */
export async function unwrapRefreshToken(keys: EdgeKeys, clientId: string, value: string): Promise<OpenedRefreshToken> {
  if (!value.startsWith(PREFIX) || !/^[\w-]+$/.test(value.slice(PREFIX.length))) throw badRefresh();
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(value.slice(PREFIX.length));
  } catch {
    throw badRefresh();
  }
  const opened = await open(keys, "refresh-token", clientId, bytes);
  if (!opened) throw badRefresh();
  let content: z.infer<typeof Content>;
  try {
    content = Content.parse(JSON.parse(new TextDecoder().decode(opened.plaintext)));
  } catch {
    throw badRefresh();
  }
  if (!COGNITO_TOKEN.test(content.t) || (content.s !== undefined && !SID.test(content.s))) throw badRefresh();
  return { username: content.u, token: content.t, sid: content.s ?? (await legacySid(content.t)), current: opened.current };
}

const badRefresh = () => new AuthError("invalid_refresh_token", { cause: { reason: "not sealed here" } });
