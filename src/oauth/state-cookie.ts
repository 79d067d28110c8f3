import * as z from "zod/mini";
import { base64url, fromBase64url } from "../crypto";
import type { EdgeKeys } from "../seal/keys";

/** What the browser carries from /authorize to /callback, bound by an HMAC under the Worker's state key. */
const OAuthState = z.lazy(() => z.object({
  state: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
  /** Expiry, seconds since the epoch. */
  exp: z.number(),
}));
type OAuthState = z.infer<typeof OAuthState>;

export const STATE_COOKIE = "__Host-oauth-state";
/** The state cookie lives ≤ 10 minutes (docs/API.md). */
export const STATE_MAX_AGE_S = 600;

const encoder = new TextEncoder();

/** `<payload>.<mac>`, both base64url; the MAC is HMAC-SHA-256 under the key derived for this purpose. */
export async function sealState(keys: EdgeKeys, value: OAuthState): Promise<string> {
  const payload = base64url(JSON.stringify(value));
  const mac = await crypto.subtle.sign("HMAC", await keys.current("oauth-state"), encoder.encode(payload));
  return `${payload}.${base64url(new Uint8Array(mac))}`;
}

/** The state if the cookie is intact (under the current or the previous secret), well-formed and unexpired, else undefined. */
export async function openState(keys: EdgeKeys, cookie: string | undefined, now = Date.now() / 1000): Promise<OAuthState | undefined> {
  const [payload, mac, extra] = (cookie ?? "").split(".");
  if (!payload || !mac || extra !== undefined) return undefined;
  try {
    const signature = fromBase64url(mac);
    let intact = false;
    for (const key of keys.accepted("oauth-state")) intact ||= await crypto.subtle.verify("HMAC", await key, signature, encoder.encode(payload));
    if (!intact) return undefined;
    const value = OAuthState.safeParse(JSON.parse(new TextDecoder().decode(fromBase64url(payload)))).data;
    return value && value.exp > now ? value : undefined;
  } catch {
    return undefined;
  }
}
