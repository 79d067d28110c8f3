import { base64url, randomBase64url } from "../crypto";

const encoder = new TextEncoder();

/** 32 random bytes, base64url: a PKCE code verifier (RFC 7636 §4.1) or an OAuth `state`. */
export const randomToken = (): string => randomBase64url(32);

/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(verifier))));
}
