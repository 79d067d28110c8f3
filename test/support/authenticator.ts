// A software passkey for the tests, standing in for the browser and its
// authenticator: an ES256 key made with WebCrypto, "none" attestation, a
// signature counter, and clientDataJSON with the page's origin and the
// server's challenge, as navigator.credentials.create / get build them
// (WebAuthn Level 3: §5.8.1 client data, §6.1 authenticator data, §6.5.4
// "none" attestation, §6.3.3 assertion signature). Only WebCrypto: it runs in
// workerd and in Node.

/** PublicKeyCredentialCreationOptionsJSON: what the user pool hands out for navigator.credentials.create. */
export interface CreationOptionsJSON {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: string; alg: number }[];
  excludeCredentials?: { id: string; type: string }[];
}

/** PublicKeyCredentialRequestOptionsJSON: what the user pool hands out for navigator.credentials.get. */
export interface RequestOptionsJSON {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string; type: string }[];
}

/** RegistrationResponseJSON (PublicKeyCredential.toJSON() after create). */
export interface RegistrationResponseJSON {
  id: string;
  rawId: string;
  type: "public-key";
  response: {
    clientDataJSON: string;
    attestationObject: string;
    authenticatorData: string;
    transports: string[];
    publicKeyAlgorithm: number;
    publicKey: string;
  };
  authenticatorAttachment: "platform";
  clientExtensionResults: Record<string, never>;
}

/** AuthenticationResponseJSON (PublicKeyCredential.toJSON() after get). */
export interface AuthenticationResponseJSON {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  authenticatorAttachment: "platform";
  clientExtensionResults: Record<string, never>;
}

/** What a test changes to play an attacker or a misconfigured page. */
export interface Ceremony {
  /** The page's origin, in clientDataJSON. */
  origin: string;
  /** The RP ID whose hash goes into the authenticator data; by default the options' own. */
  rpId?: string;
  /** The challenge signed over; by default the options' own. */
  challenge?: string;
}

const ES256 = -7;
// Authenticator data flags (§6.1): user present, user verified, attested credential data included.
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export const fromBase64url = (text: string): Bytes =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** Bytes that WebCrypto takes (backed by an ArrayBuffer). */
type Bytes = Uint8Array<ArrayBuffer>;
/** A WebCrypto key, in workerd's types and Node's alike. */
type Key = Parameters<typeof crypto.subtle.sign>[1];

const utf8 = (text: string): Bytes => Uint8Array.from(new TextEncoder().encode(text));

function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const uint = (value: number, bytes: 2 | 4) => {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[bytes - 1 - i] = (value >>> (8 * i)) & 0xff;
  return out;
};

const sha256 = async (data: Bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", data));

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

/** CBOR head: major type and argument (RFC 8949 §3); arguments here stay below 2^16. */
function head(major: number, value: number): Uint8Array {
  if (value < 24) return Uint8Array.of((major << 5) | value);
  if (value < 256) return Uint8Array.of((major << 5) | 24, value);
  return concat(Uint8Array.of((major << 5) | 25), uint(value, 2));
}

/** The CBOR that attestation objects and COSE keys need: integers, text, bytes and maps. */
function cbor(value: Cbor): Uint8Array {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") return concat(head(3, utf8(value).length), utf8(value));
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  return concat(head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)]));
}

/** WebCrypto's ECDSA signature (r ‖ s) as the ASN.1 DER that WebAuthn's ES256 uses. */
function der(raw: Uint8Array): Bytes {
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = bytes.slice(i);
    const body = trimmed[0] & 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed;
    return concat(Uint8Array.of(0x02, body.length), body);
  };
  const body = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)));
  return concat(Uint8Array.of(0x30, body.length), body);
}

/** One passkey: its key pair, credential id and signature counter. */
export class SoftwareAuthenticator {
  /** Incremented by every assertion (§6.1.1). */
  signCount = 0;
  private userHandle?: string;

  private constructor(
    private readonly keys: { publicKey: Key; privateKey: Key },
    private readonly rawId: Bytes,
  ) {}

  static async create(): Promise<SoftwareAuthenticator> {
    const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    if (!("privateKey" in keys)) throw new Error("ECDSA gave no key pair");
    return new SoftwareAuthenticator(keys, crypto.getRandomValues(new Uint8Array(32)));
  }

  /** The credential id, base64url, as the user pool lists it. */
  get id(): string {
    return base64url(this.rawId);
  }

  /** navigator.credentials.create(): a new credential for `options`, answered as its toJSON(). */
  async register(options: CreationOptionsJSON, ceremony: Ceremony): Promise<RegistrationResponseJSON> {
    if (!options.pubKeyCredParams.some((p) => p.alg === ES256)) throw new Error("NotSupportedError: ES256 is not offered");
    if (options.excludeCredentials?.some((c) => c.id === this.id)) throw new Error("InvalidStateError: already registered");
    const clientDataJSON = this.clientData("webauthn.create", ceremony.challenge ?? options.challenge, ceremony.origin);
    const jwk = await crypto.subtle.exportKey("jwk", this.keys.publicKey);
    const spki = await crypto.subtle.exportKey("spki", this.keys.publicKey);
    if (jwk instanceof ArrayBuffer || !(spki instanceof ArrayBuffer)) throw new Error("unexpected key export");
    const coseKey = cbor(
      new Map<number, Cbor>([
        [1, 2], // kty: EC2
        [3, ES256], // alg
        [-1, 1], // crv: P-256
        [-2, fromBase64url(String(jwk.x))],
        [-3, fromBase64url(String(jwk.y))],
      ]),
    );
    const attested = concat(new Uint8Array(16), uint(this.rawId.length, 2), this.rawId, coseKey);
    const authData = await this.authenticatorData(ceremony.rpId ?? options.rp.id ?? new URL(ceremony.origin).hostname, UP | UV | AT, attested);
    const attestationObject = cbor(new Map<string, Cbor>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    this.userHandle = options.user.id;
    return this.toJSON({
      clientDataJSON: base64url(clientDataJSON),
      attestationObject: base64url(attestationObject),
      authenticatorData: base64url(authData),
      transports: ["internal"],
      publicKeyAlgorithm: ES256,
      publicKey: base64url(new Uint8Array(spki)),
    });
  }

  /** navigator.credentials.get(): an assertion for `options`, answered as its toJSON(). */
  async authenticate(options: RequestOptionsJSON, ceremony: Ceremony): Promise<AuthenticationResponseJSON> {
    if (options.allowCredentials?.length && !options.allowCredentials.some((c) => c.id === this.id)) {
      throw new Error("NotAllowedError: this passkey is not allowed");
    }
    this.signCount++;
    const clientDataJSON = this.clientData("webauthn.get", ceremony.challenge ?? options.challenge, ceremony.origin);
    const authData = await this.authenticatorData(ceremony.rpId ?? options.rpId ?? new URL(ceremony.origin).hostname, UP | UV);
    const signed = concat(authData, await sha256(clientDataJSON));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, signed));
    return this.toJSON({
      clientDataJSON: base64url(clientDataJSON),
      authenticatorData: base64url(authData),
      signature: base64url(der(raw)),
      ...(this.userHandle ? { userHandle: this.userHandle } : {}),
    });
  }

  /** PublicKeyCredential.toJSON() around an authenticator response. */
  private toJSON<R>(response: R) {
    return { id: this.id, rawId: this.id, type: "public-key" as const, response, authenticatorAttachment: "platform" as const, clientExtensionResults: {} };
  }

  private clientData(type: string, challenge: string, origin: string): Bytes {
    return utf8(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private async authenticatorData(rpId: string, flags: number, attested: Uint8Array = new Uint8Array()): Promise<Bytes> {
    return concat(await sha256(utf8(rpId)), Uint8Array.of(flags), uint(this.signCount, 4), attested);
  }
}
