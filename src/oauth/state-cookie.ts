import { base64url, fromBase64url } from "../encoding";

/** What the browser carries from /authorize to /callback, bound by an HMAC. */
export interface OAuthState {
  state: string;
  verifier: string;
  returnTo: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export const STATE_COOKIE = "__Host-oauth-state";
/** The state cookie lives ≤ 10 minutes (docs/API.md). */
export const STATE_MAX_AGE_S = 600;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    // A key of its own for this purpose, derived from the configured secret.
    key = crypto.subtle.importKey("raw", encoder.encode(`cognito-edge oauth state\0${secret}`), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** `<payload>.<mac>`, both base64url. */
export async function sealState(secret: string, value: OAuthState): Promise<string> {
  const payload = base64url(JSON.stringify(value));
  const mac = await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(payload));
  return `${payload}.${base64url(new Uint8Array(mac))}`;
}

/** The state if the cookie is intact and unexpired, else undefined. */
export async function openState(secret: string, cookie: string | undefined, now = Date.now() / 1000): Promise<OAuthState | undefined> {
  const [payload, mac, extra] = (cookie ?? "").split(".");
  if (!payload || !mac || extra !== undefined) return undefined;
  try {
    const ok = await crypto.subtle.verify("HMAC", await keyFor(secret), fromBase64url(mac), encoder.encode(payload));
    if (!ok) return undefined;
    const value = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as OAuthState;
    return typeof value.exp === "number" && value.exp > now ? value : undefined;
  } catch {
    return undefined;
  }
}
