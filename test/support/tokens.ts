// Tokens signed with generated keys, served from the JWKS host of globalSetup.
import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import { inject } from "vitest";
import "./provided";

export interface TestIssuer {
  issuer: string;
  kid: string;
  publicJwk: JWK;
  /** Signs an access token; `claims` override the defaults, undefined values remove a claim. */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>, key?: CryptoKey): Promise<string>;
  /** Signs exactly this header and payload with RS256 (no checks of jose's: any header, any claims). */
  signRaw(header: unknown, payload: unknown, key?: CryptoKey): Promise<string>;
  fetches(): Promise<number>;
  setMode(mode: "up" | "down" | "slow"): Promise<void>;
  /** Serves `body` (any JSON, key set or not) as this issuer's JWKS from now on. */
  serve(body: unknown): Promise<void>;
  /** The env overrides that point the Worker at this issuer. */
  env: Record<string, unknown>;
  /** The private key this issuer signs with (to forge tokens "from" another issuer in attack tests). */
  signingKey(): Promise<CryptoKey>;
}

export const now = () => Math.floor(Date.now() / 1000);

export async function generateKey() {
  return generateKeyPair("RS256", { extractable: true });
}

/** A fresh issuer with one RSA key in its JWKS, under a unique name. */
export async function testIssuer(options: { register?: boolean } = {}): Promise<TestIssuer> {
  const base = inject("jwksBase");
  const name = `iss-${crypto.randomUUID()}`;
  const issuer = `${base}/${name}`;
  const kid = `kid-${name.slice(4, 12)}`;
  const { privateKey, publicKey } = await generateKey();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  if (options.register !== false) {
    await fetch(`${base}/__keys/${name}`, { method: "POST", body: JSON.stringify({ keys: [publicJwk] }) });
  }
  return {
    issuer,
    kid,
    publicJwk,
    async sign(claims = {}, header = {}, key = privateKey) {
      const payload: JWTPayload = {
        sub: crypto.randomUUID(),
        username: "user-1",
        client_id: env.COGNITO_CLIENT_ID,
        token_use: "access",
        scope: "aws.cognito.signin.user.admin",
        iss: issuer,
        iat: now(),
        exp: now() + 3600,
        jti: crypto.randomUUID(),
        ...claims,
      };
      for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
      return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid, ...header }).sign(key);
    },
    async signRaw(header, payload, key = privateKey) {
      const input = `${b64url(new TextEncoder().encode(JSON.stringify(header)))}.${b64url(new TextEncoder().encode(JSON.stringify(payload)))}`;
      const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(input));
      return `${input}.${b64url(new Uint8Array(signature))}`;
    },
    async fetches() {
      const res = await fetch(`${base}/__count/${name}`);
      return ((await res.json()) as { fetches: number }).fetches;
    },
    async setMode(mode) {
      await fetch(`${base}/__mode/${name}`, { method: "POST", body: JSON.stringify({ mode }) });
    },
    async serve(body) {
      await fetch(`${base}/__keys/${name}`, { method: "POST", body: JSON.stringify(body) });
    },
    env: { COGNITO_ISSUER: issuer, UPSTREAM: env.TEST_UPSTREAM },
    signingKey: async () => privateKey,
  };
}

/** base64url of a string or bytes. */
export const b64url = (input: string | Uint8Array) =>
  btoa(typeof input === "string" ? input : String.fromCharCode(...input))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
