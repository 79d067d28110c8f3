// Benchmark Worker (bench/verifier.mjs drives it under wrangler dev): our
// verifier next to hono's verifyWithJwks (static keys, and jwks_uri) and raw
// WebCrypto on the same RS256 tokens, inside workerd.
import { verifyWithJwks } from "hono/jwt";
import { parseConfig } from "../src/config";
import { createVerifier } from "../src/tokens/verifier";
import { type BenchState, benchWorker } from "./verify-harness";

const encoder = new TextEncoder();

const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** What any verifier must at least do: split, decode the signature, RSA-verify. */
async function rawVerify(s: BenchState, token: string): Promise<void> {
  const dot = token.lastIndexOf(".");
  const ok = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", s.publicKey, fromB64url(token.slice(dot + 1)), encoder.encode(token.slice(0, dot)));
  if (!ok) throw new Error("raw verify failed");
}

/**
 * hono's verifier as its `jwk` middleware calls it, with the issuer check a
 * Cognito user would add (hono checks exp, nbf and iat by default; it has no
 * token_use or client_id check). It throws on any failure.
 */
function honoVerify(s: BenchState, token: string, from: "keys" | "uri") {
  const source = from === "keys" ? { keys: [s.jwk] } : { jwks_uri: `${s.issuer}/.well-known/jwks.json` };
  return verifyWithJwks(token, { ...source, allowedAlgorithms: ["RS256"], verification: { iss: s.issuer } });
}

export default benchWorker(
  "bench",
  (env) => {
    const verifier = createVerifier(parseConfig(env));
    return (token) => verifier.verify(token);
  },
  {
    "hono-keys": (s, token) => honoVerify(s, token, "keys"),
    "hono-uri": (s, token) => honoVerify(s, token, "uri"),
    raw: rawVerify,
  },
);
