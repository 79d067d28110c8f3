// The Worker's small cryptographic helpers: HMAC keys imported once per
// isolate, base64 and base64url, and a constant-time string compare.

const encoder = new TextEncoder();
const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** The HMAC-SHA-256 key of a secret's UTF-8, imported once per isolate and secret. */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

/** HMAC-SHA-256 of a message's UTF-8 under a secret. */
export async function hmac(secret: string, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(message)));
}

/** base64 with padding (RFC 4648 §4) of bytes. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** base64url without padding (RFC 4648 §5) of bytes or of a string's UTF-8. */
export const base64url = (input: Uint8Array | string): string =>
  base64(typeof input === "string" ? encoder.encode(input) : input).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** Bytes of a base64url string; throws on anything else. */
/** `bytes` random bytes, base64url: ids, OAuth state, PKCE verifiers, challenges. */
export const randomBase64url = (bytes: number): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

export const fromBase64url = (s: string): Uint8Array =>
  Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
