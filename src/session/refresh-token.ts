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

const PREFIX = "ce2.";
const Content = z.lazy(() => z.object({ u: z.string(), t: z.string() }));
const encoder = new TextEncoder();

/** Cognito's TokenModelType: a token of other characters is none of its refresh tokens. */
const COGNITO_TOKEN = /^[\w=.-]+$/;

/** Seals Cognito's refresh `token` and the Cognito `username`, bound to the app client `clientId`. */
export async function wrapRefreshToken(keys: EdgeKeys, clientId: string, username: string, token: string): Promise<string> {
  return PREFIX + base64url(await seal(keys, "refresh-token", clientId, encoder.encode(JSON.stringify({ u: username, t: token }))));
}

/** A presented refresh token, opened. `current`: sealed under the current secret (else the previous one, to be sealed again). */
export interface OpenedRefreshToken {
  username: string;
  token: string;
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
  try {
    const content = Content.parse(JSON.parse(new TextDecoder().decode(opened.plaintext)));
    if (!COGNITO_TOKEN.test(content.t)) throw badRefresh();
    return { username: content.u, token: content.t, current: opened.current };
  } catch {
    throw badRefresh();
  }
}

const badRefresh = () => new AuthError("invalid_refresh_token", { cause: { reason: "not sealed here" } });
