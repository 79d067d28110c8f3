// Authenticated encryption of the Worker's sealed values: AES-256-GCM with a
// random 96-bit IV (NIST SP 800-38D §8.2.2), the IV before the ciphertext
// and its tag. Associated data binds a value to its purpose and app client.
import type { EdgeKeys, KeyPurpose } from "./keys";

const IV_BYTES = 12;
/** The GCM tag a sealed value carries after its ciphertext. */
const TAG_BYTES = 16;
const encoder = new TextEncoder();

/** How many bytes a sealed plaintext of `plaintextBytes` takes. */
export const sealedBytes = (plaintextBytes: number): number => IV_BYTES + plaintextBytes + TAG_BYTES;

/** Encrypts `plaintext` under the current key of `purpose`, bound to `context`. */
export async function seal(keys: EdgeKeys, purpose: KeyPurpose, context: string, plaintext: Uint8Array): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const algorithm = { name: "AES-GCM", iv, additionalData: encoder.encode(`${purpose}\0${context}`) };
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt(algorithm, await keys.current(purpose), plaintext));
  const out = new Uint8Array(IV_BYTES + ciphertext.length);
  out.set(iv);
  out.set(ciphertext, IV_BYTES);
  return out;
}

/**
 * The plaintext of a value `seal` made for `purpose` and `context`, under any
 * accepted key, and whether the current key opened it; undefined for
 * anything else (forged, truncated, another purpose's, a retired secret's).
 */
export async function open(
  keys: EdgeKeys,
  purpose: KeyPurpose,
  context: string,
  sealed: Uint8Array,
): Promise<{ plaintext: Uint8Array; current: boolean } | undefined> {
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  const algorithm = { name: "AES-GCM", iv: sealed.subarray(0, IV_BYTES), additionalData: encoder.encode(`${purpose}\0${context}`) };
  const candidates = keys.accepted(purpose);
  for (const [index, key] of candidates.entries()) {
    try {
      const plaintext = new Uint8Array(await crypto.subtle.decrypt(algorithm, await key, sealed.subarray(IV_BYTES)));
      return { plaintext, current: index === 0 };
    } catch {
      // not this key's (or not ours at all): the next key, else undefined
    }
  }
  return undefined;
}
