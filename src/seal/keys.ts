// The Worker's own keys: one secret (EDGE_SECRET), a key per purpose derived
// from it with HKDF (RFC 5869), so that no key ever serves two purposes and a
// value sealed for one can never be opened as another. The previous secret
// (EDGE_SECRET_PREVIOUS) still opens what it sealed until its stated end;
// nothing new is sealed with it.

/** What a derived key is for; the HKDF `info` of each. */
export type KeyPurpose = "session" | "refresh-token" | "oauth-state" | "jwks-copy" | "session-registry" | "browser-session";

const encoder = new TextEncoder();
/** HKDF salt: fixed, naming the product and the key schedule's version. */
const SALT = encoder.encode("cognito-edge/keys/v1");

const ALGORITHM: Record<KeyPurpose, SubtleCryptoImportKeyAlgorithm> = {
  session: { name: "AES-GCM", length: 256 },
  "refresh-token": { name: "AES-GCM", length: 256 },
  "browser-session": { name: "AES-GCM", length: 256 },
  "oauth-state": { name: "HMAC", hash: "SHA-256", length: 256 },
  "jwks-copy": { name: "HMAC", hash: "SHA-256", length: 256 },
  // Refresh tokens held by the session registry (sessions/), so that one read from its storage is no refresh token here.
  "session-registry": { name: "AES-GCM", length: 256 },
};
const USAGES: Record<string, string[]> = { "AES-GCM": ["encrypt", "decrypt"], HMAC: ["sign", "verify"] };

/** The secrets keys derive from: the current one, and the previous one until `previousUntilMs`. */
export interface Secrets {
  current: string;
  previous?: string;
  previousUntilMs?: number;
}

/** The shortest secret accepted, in bytes of its UTF-8: a 256-bit key needs 256 bits of secret. */
export const MIN_SECRET_BYTES = 32;

/**
 * The keys of one configuration, derived on first use and held for the
 * isolate (startup does no key derivation).
 */
export class EdgeKeys {
  private readonly derived = new Map<string, Promise<CryptoKey>>();

  constructor(private readonly secrets: Secrets) {}

  /** The key that seals (and signs) for `purpose`: the current secret's. */
  current(purpose: KeyPurpose): Promise<CryptoKey> {
    return this.derive(this.secrets.current, purpose);
  }

  /** The keys that may open what was sealed for `purpose`: the current one, then the previous one while it is still accepted. */
  accepted(purpose: KeyPurpose, now = Date.now()): Promise<CryptoKey>[] {
    const { previous, previousUntilMs = 0 } = this.secrets;
    const keys = [this.current(purpose)];
    if (previous && now < previousUntilMs) keys.push(this.derive(previous, purpose));
    return keys;
  }

  private derive(secret: string, purpose: KeyPurpose): Promise<CryptoKey> {
    const id = `${purpose}\0${secret}`;
    let key = this.derived.get(id);
    if (!key) {
      key = (async () => {
        const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
        const algorithm = ALGORITHM[purpose];
        const hkdf = { name: "HKDF", hash: "SHA-256", salt: SALT, info: encoder.encode(purpose) };
        return crypto.subtle.deriveKey(hkdf, base, algorithm, false, USAGES[algorithm.name] ?? []);
      })();
      this.derived.set(id, key);
    }
    return key;
  }
}
