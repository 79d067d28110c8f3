import * as z from "zod/mini";
import { base64url, fromBase64url, hmac, verifyHmac } from "../crypto";

/** What the browser carries from /authorize to /callback, bound by an HMAC. */
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

/** A key of its own for this purpose, derived from the configured secret. */
const keySecret = (secret: string) => `cognito-edge oauth state\0${secret}`;

/** `<payload>.<mac>`, both base64url. */
export async function sealState(secret: string, value: OAuthState): Promise<string> {
  const payload = base64url(JSON.stringify(value));
  return `${payload}.${base64url(await hmac(keySecret(secret), payload))}`;
}

/** The state if the cookie is intact, well-formed and unexpired, else undefined. */
export async function openState(secret: string, cookie: string | undefined, now = Date.now() / 1000): Promise<OAuthState | undefined> {
  const [payload, mac, extra] = (cookie ?? "").split(".");
  if (!payload || !mac || extra !== undefined) return undefined;
  try {
    if (!(await verifyHmac(keySecret(secret), payload, fromBase64url(mac)))) return undefined;
    const value = OAuthState.safeParse(JSON.parse(new TextDecoder().decode(fromBase64url(payload)))).data;
    return value && value.exp > now ? value : undefined;
  } catch {
    return undefined;
  }
}
