// The harness of the verification benchmark Workers: keys, tokens and timed
// loops over the verifiers a Worker names. bench/verify-worker.ts runs it on
// the working tree's verifier next to hono's and raw WebCrypto; the adapter
// that bench/baseline.mjs generates runs it on a baseline ref's verifier
// alone, so both trees are timed by the same loop.
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/** The variables every verifier under test is configured with, in both trees. */
export const benchEnv = (jwksBase: string) => ({
  AWS_REGION: "us-east-1",
  COGNITO_USER_POOL_ID: "us-east-1_bench",
  COGNITO_CLIENT_ID: "benchclient1",
  COGNITO_ISSUER: jwksBase,
});

export interface BenchState {
  issuer: string;
  /** Ours, built once as the Worker builds it per configuration. */
  verify: (token: string) => Promise<unknown>;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as a JWK, as a user of hono's `jwk({ keys })` would configure it. */
  jwk: JsonWebKey & { kid: string };
  tokens: string[];
}

/** Builds the tree's verifier from the variables of benchEnv. */
export type OursFactory = (env: ReturnType<typeof benchEnv>) => (token: string) => Promise<unknown>;
/** A verifier other than ours; it throws on any failure. */
export type OtherVerifier = (s: BenchState, token: string) => Promise<unknown>;

async function setup(jwksBase: string, kid: string, ours: OursFactory): Promise<BenchState> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const { n, e } = await exportJWK(publicKey);
  const jwk = { kty: "RSA", n, e, kid, alg: "RS256", use: "sig" };
  // The JWKS host adds the key next to those of other benchmark Workers (one per kid).
  await fetch(`${jwksBase}/.well-known/jwks.json`, { method: "POST", body: JSON.stringify({ keys: [jwk] }) });
  return { issuer: jwksBase, verify: ours(benchEnv(jwksBase)), privateKey, publicKey, jwk, tokens: [] };
}

async function sign(s: BenchState, n: number): Promise<string[]> {
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
        .setProtectedHeader({ alg: "RS256", kid: s.jwk.kid })
        .setIssuer(s.issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(s.privateKey),
    ),
  );
}

/**
 * A Worker answering /setup?jwks=, /sign?n= and /<verifier>-first|repeat?n=,
 * where <verifier> is "ours" or a key of `others`; tokens are signed with `kid`.
 */
export function benchWorker(kid: string, ours: OursFactory, others: Record<string, OtherVerifier> = {}) {
  let state: BenchState | undefined;
  const verifiers: Record<string, OtherVerifier> = { ...others, ours: (s, token) => s.verify(token) };
  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const n = Number(url.searchParams.get("n") ?? 1000);
      if (url.pathname === "/setup") {
        state = await setup(String(url.searchParams.get("jwks")), kid, ours);
        // Warm: the JWKS is fetched and cached before any timing.
        await state.verify((await sign(state, 1))[0]);
        return Response.json({ ok: true });
      }
      if (!state) return new Response("setup first", { status: 409 });
      const s = state;
      if (url.pathname === "/sign") {
        s.tokens = await sign(s, n);
        return Response.json({ signed: s.tokens.length });
      }
      const mode = url.pathname.slice(1);
      const verify = verifiers[mode.replace(/-(first|repeat)$/, "")];
      if (!verify) return new Response(`unknown mode ${mode}`, { status: 404 });
      const tokens = mode.endsWith("-repeat") ? Array.from({ length: n }, () => s.tokens[0]) : s.tokens.slice(0, n);
      if (tokens.length < n) return new Response(`sign ${n} tokens first`, { status: 409 });
      const started = performance.now();
      for (const token of tokens) await verify(s, token);
      return Response.json({ mode, n: tokens.length, ms: performance.now() - started });
    },
  };
}
