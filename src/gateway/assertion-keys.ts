import * as z from "zod/mini";
import { ConfigError, secureUrl } from "../config";

/** The variables of the signed identity assertion: setting any of them turns it on. */
export const ASSERTION_VARIABLES = ["GATEWAY_SIGNING_KEY", "GATEWAY_SIGNING_KEY_NEXT", "GATEWAY_ASSERTION_AUDIENCE", "GATEWAY_ASSERTION_ISSUER"] as const;

/** A P-256 coordinate or private scalar: 32 bytes, base64url without padding (RFC 7518 §6.2.1). */
const scalar = z.lazy(() => z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)));
/**
 * An ES256 key as a JWK (RFC 7517): the private scalar `d` is what the Worker
 * signs with; the `kid` is how a verifier picks the key of the JWKS, so each
 * key needs its own.
 */
const EcJwk = z.lazy(() =>
  z.object({
    kty: z.literal("EC"),
    crv: z.literal("P-256"),
    x: scalar,
    y: scalar,
    d: z.optional(scalar),
    kid: z.string().check(z.regex(/^[\w.-]{1,64}$/)),
    alg: z.optional(z.literal("ES256")),
    use: z.optional(z.literal("sig")),
  }),
);
type EcJwk = z.output<typeof EcJwk>;

/** The public half of a key, as the JWKS publishes it. */
export interface PublicJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  kid: string;
  alg: "ES256";
  use: "sig";
}

/** The assertion's settings, parsed once per env (docs/API.md, *Signed identity*). */
export interface AssertionSettings {
  /** `aud` of every assertion (GATEWAY_ASSERTION_AUDIENCE). */
  audience: string;
  /** `iss` (GATEWAY_ASSERTION_ISSUER); unset, the origin the request came to. */
  issuer?: string;
  /** The key that signs (GATEWAY_SIGNING_KEY), private scalar included. */
  current: EcJwk & { d: string };
  /** The key published ahead of a rotation, never used to sign (GATEWAY_SIGNING_KEY_NEXT). */
  next?: PublicJwk;
  /** The JWKS document (current, then next), serialized once. */
  jwks: string;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

const publicOf = (jwk: EcJwk): PublicJwk => ({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid: jwk.kid, alg: "ES256", use: "sig" });

/** A JWK variable's value; undefined (and its name in `invalid`) when it is not one. */
function jwkOf(value: string, name: string, invalid: string[]): EcJwk | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    invalid.push(name);
    return undefined;
  }
  const parsed = EcJwk.safeParse(json);
  if (parsed.success) return parsed.data;
  invalid.push(name);
  return undefined;
}

/**
 * The assertion's settings; null when none of its variables is set (the
 * feature is off and nothing changes). Throws ConfigError naming the variables
 * that are missing or malformed: a key that is no private P-256 JWK with a
 * `kid`, a next key that is no P-256 JWK or shares the current `kid`, no
 * audience, an issuer that is no https URL.
 */
export function parseAssertionSettings(env: Record<string, unknown>): AssertionSettings | null {
  const [keyText, nextText, audience, issuer] = ASSERTION_VARIABLES.map((name) => text(env[name]));
  if (![keyText, nextText, audience, issuer].some(Boolean)) return null;
  const invalid: string[] = [];
  const current = keyText === undefined ? undefined : jwkOf(keyText, "GATEWAY_SIGNING_KEY", invalid);
  if (keyText === undefined || (current && current.d === undefined)) invalid.push("GATEWAY_SIGNING_KEY");
  const next = nextText === undefined ? undefined : jwkOf(nextText, "GATEWAY_SIGNING_KEY_NEXT", invalid);
  if (next && current && next.kid === current.kid) invalid.push("GATEWAY_SIGNING_KEY_NEXT");
  if (audience === undefined || !/^[\x21-\x7e]{1,256}$/.test(audience)) invalid.push("GATEWAY_ASSERTION_AUDIENCE");
  if (issuer !== undefined && !secureUrl.safeParse(issuer).success) invalid.push("GATEWAY_ASSERTION_ISSUER");
  if (invalid.length || !current?.d || audience === undefined) throw new ConfigError([...new Set(invalid)]);
  const published = next ? [publicOf(current), publicOf(next)] : [publicOf(current)];
  return { audience, issuer, current: { ...current, d: current.d }, next: next && publicOf(next), jwks: JSON.stringify({ keys: published }) };
}
