// Benchmark Worker (bench/verifier.mjs drives it under wrangler dev): our
// verifier next to hono's verifyWithJwks (static keys, and jwks_uri) and raw
// WebCrypto on the same RS256 tokens, inside workerd.
import { verifyWithJwks } from "hono/jwt";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { type Config, parseConfig } from "../src/config";
import type { Verifier } from "../src/tokens/verifier";
import { createVerifier } from "../src/verifier-options";

interface State {
  config: Config;
  /** Ours, built once as the Worker builds it per configuration. */
  verifier: Verifier;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as a JWK, as a user of hono's `jwk({ keys })` would configure it. */
  jwk: JsonWebKey & { kid: string };
  tokens: string[];
}

let state: State | undefined;
const encoder = new TextEncoder();

const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** What any verifier must at least do: split, decode the signature, RSA-verify. */
async function rawVerify(key: CryptoKey, token: string): Promise<boolean> {
  const dot = token.lastIndexOf(".");
  return crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, fromB64url(token.slice(dot + 1)), encoder.encode(token.slice(0, dot)));
}

/**
 * hono's verifier as its `jwk` middleware calls it, with the issuer check a
 * Cognito user would add (hono checks exp, nbf and iat by default; it has no
 * token_use or client_id check). It throws on any failure.
 */
function honoVerify(s: State, token: string, from: "keys" | "uri") {
  const source = from === "keys" ? { keys: [s.jwk] } : { jwks_uri: `${s.config.issuer}/.well-known/jwks.json` };
  return verifyWithJwks(token, { ...source, allowedAlgorithms: ["RS256"], verification: { iss: s.config.issuer } });
}

async function setup(jwksBase: string): Promise<State> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const { n, e } = await exportJWK(publicKey);
  const jwk = { kty: "RSA", n, e, kid: "bench", alg: "RS256", use: "sig" };
  await fetch(`${jwksBase}/.well-known/jwks.json`, { method: "POST", body: JSON.stringify({ keys: [jwk] }) });
  const config = parseConfig({
    AWS_REGION: "us-east-1",
    COGNITO_USER_POOL_ID: "us-east-1_bench",
    COGNITO_CLIENT_ID: "benchclient1",
    COGNITO_ISSUER: jwksBase,
  });
  return { config, verifier: createVerifier(config), privateKey, publicKey, jwk, tokens: [] };
}

async function sign(s: State, n: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: n }, () =>
      new SignJWT({
        sub: crypto.randomUUID(),
        username: "bench",
        client_id: "benchclient1",
        token_use: "access",
        scope: "openid",
        jti: crypto.randomUUID(),
      })
        .setProtectedHeader({ alg: "RS256", kid: "bench" })
        .setIssuer(s.config.issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(s.privateKey),
    ),
  );
}

/** Verifies one token the way `verifier` names: ours, hono-keys, hono-uri or raw. */
async function verifyOne(s: State, verifier: string, token: string): Promise<void> {
  if (verifier === "ours") await s.verifier.verify(token);
  else if (verifier === "hono-keys") await honoVerify(s, token, "keys");
  else if (verifier === "hono-uri") await honoVerify(s, token, "uri");
  else if (verifier === "raw") {
    if (!(await rawVerify(s.publicKey, token))) throw new Error("raw verify failed");
  } else throw new Error(`unknown verifier ${verifier}`);
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 1000);
    if (url.pathname === "/setup") {
      state = await setup(String(url.searchParams.get("jwks")));
      // Warm: the JWKS is fetched and cached before any timing.
      await state.verifier.verify((await sign(state, 1))[0]);
      return Response.json({ ok: true });
    }
    if (!state) return new Response("setup first", { status: 409 });
    const s = state;
    if (url.pathname === "/sign") {
      s.tokens = await sign(s, n);
      return Response.json({ signed: s.tokens.length });
    }
    // /<verifier>-first or /<verifier>-repeat
    const mode = url.pathname.slice(1);
    const verifier = mode.replace(/-(first|repeat)$/, "");
    const tokens = mode.endsWith("-repeat") ? Array.from({ length: n }, () => s.tokens[0]) : s.tokens.slice(0, n);
    if (tokens.length < n) return new Response(`sign ${n} tokens first`, { status: 409 });
    const started = performance.now();
    for (const token of tokens) await verifyOne(s, verifier, token);
    return Response.json({ mode, n: tokens.length, ms: performance.now() - started });
  },
};
