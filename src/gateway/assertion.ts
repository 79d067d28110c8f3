import { ConfigError, perEnv } from "../config";
import { base64url } from "../crypto";
import { AuthError, internalError } from "../errors";
import { log } from "../log";
import type { AccessClaims } from "../tokens/claims";
import { AssertionCache } from "./assertion-cache";
import { type AssertionSettings, parseAssertionSettings } from "./assertion-keys";
import { isClientToken } from "./headers";

/** The header that carries the assertion to the upstream; a client's own is stripped with every other `X-Auth-*`. */
export const ASSERTION_HEADER = "X-Auth-Assertion";
/** Life of an assertion: a minute at most (docs/API.md). */
export const ASSERTION_LIFETIME_S = 60;
/** A held assertion is handed out only while it has this long left: the upstream gets it with time to verify. */
export const REUSE_MARGIN_S = 10;

const ECDSA = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const encoder = new TextEncoder();

/** A 500 for a bad assertion setting, naming the variables in the log only. */
const configFailure = (err: ConfigError) => new AuthError("internal_error", { cause: { reason: "config", variables: err.variables.join(",") } });

/**
 * Imports the signing key and checks it against the public key it publishes
 * (a probe signed and verified), and the next key's point; a JWK whose parts
 * do not belong together would otherwise sign assertions no one can verify.
 */
async function importChecked(settings: AssertionSettings): Promise<CryptoKey> {
  const { current, next } = settings;
  const publicJwk = { kty: "EC", crv: "P-256", x: current.x, y: current.y };
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey("jwk", { ...publicJwk, d: current.d }, ECDSA, false, ["sign"]);
    const verifying = await crypto.subtle.importKey("jwk", publicJwk, ECDSA, false, ["verify"]);
    const probe = encoder.encode("cognito-edge assertion key check");
    if (!(await crypto.subtle.verify(ECDSA, verifying, await crypto.subtle.sign(ECDSA, key, probe), probe))) throw new Error("mismatch");
  } catch {
    throw new ConfigError(["GATEWAY_SIGNING_KEY"]);
  }
  if (next) {
    try {
      await crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: next.x, y: next.y }, ECDSA, false, ["verify"]);
    } catch {
      throw new ConfigError(["GATEWAY_SIGNING_KEY_NEXT"]);
    }
  }
  return key;
}

/** What a caller is: a machine client for a client-credentials token (the gateway's own rule, so X-Auth-Kind and `kind` agree), else a user. */
const kindOf = (claims: AccessClaims): "user" | "client" => (isClientToken(claims) ? "client" : "user");

/**
 * Signs the gateway's assertions of one configuration (ES256, the Worker's own
 * key) and holds them: one signature per caller, method and URL while an
 * assertion has more than REUSE_MARGIN_S left (to its end when the token's exp
 * ends it), in a bounded cache.
 */
export class AssertionSigner {
  private key?: Promise<CryptoKey>;
  private readonly cache: AssertionCache;
  private readonly now: () => number;

  constructor(
    readonly settings: AssertionSettings,
    options: { maxEntries?: number; now?: () => number } = {},
  ) {
    this.cache = new AssertionCache(options.maxEntries);
    this.now = options.now ?? Date.now;
  }

  /** The checked signing key; a bad key is a 500 on every call, logged once naming the variable. */
  ready(): Promise<CryptoKey> {
    this.key ??= importChecked(this.settings).catch((err: unknown) => {
      const error = err instanceof ConfigError ? err : new ConfigError(["GATEWAY_SIGNING_KEY"]);
      log("error", "config_invalid", { variables: error.variables });
      throw configFailure(error);
    });
    return this.key;
  }

  /**
   * The assertion of `claims` for a request of `method` to `htu` (the URL
   * forwarded to without its query, as DPoP's `htu`), issued by `origin`
   * unless an issuer is configured.
   */
  /**
   * Whether `claims`' token is past its `exp` (the verifier's clock tolerance
   * still admits it): the gateway vouches for no such token, as an assertion
   * never outlives its token and one already expired is refused upstream.
   */
  expired(claims: AccessClaims): boolean {
    return claims.exp <= Math.floor(this.now() / 1000);
  }

  assertion(claims: AccessClaims, method: string, htu: string, origin: string): Promise<string> {
    if (this.expired(claims)) return Promise.reject(new AuthError("token_expired"));
    const now = Math.floor(this.now() / 1000);
    const iss = this.settings.issuer ?? origin;
    const kind = kindOf(claims);
    const identity = {
      sub: claims.sub,
      ...(kind === "user" ? { username: claims.username } : {}),
      kind,
      client_id: claims.clientId,
      groups: claims.groups,
      scope: claims.scope.join(" "),
      ...(claims.authTime === undefined ? {} : { auth_time: claims.authTime }),
    };
    // The token (its jti; without one, every claim the assertion carries and its exp), the issuer and the request:
    // two tokens that share a key get the same assertion, so without a jti nothing less than all of it will do.
    const key = JSON.stringify(claims.jti ? [claims.jti, iss, method, htu] : [identity, claims.exp, iss, method, htu]);
    const held = this.cache.get(key, now);
    if (held) return held;
    // Never past the access token it was made from.
    const exp = Math.min(now + ASSERTION_LIFETIME_S, claims.exp);
    const payload = { iss, aud: this.settings.audience, iat: now, exp, ...identity, htm: method, htu };
    const token = this.sign(payload);
    // Bound by the token's exp, a new signature would end no later: held to its end, not signed on every request.
    this.cache.set(key, token, exp === claims.exp ? exp : exp - REUSE_MARGIN_S, now);
    return token;
  }

  private async sign(payload: object): Promise<string> {
    const key = await this.ready();
    const header = base64url(JSON.stringify({ alg: "ES256", typ: "JWT", kid: this.settings.current.kid }));
    const input = `${header}.${base64url(JSON.stringify(payload))}`;
    // WebCrypto's ECDSA signature is r || s, 64 bytes: the JWS form as it is (RFC 7518 §3.4).
    const signature = new Uint8Array(await crypto.subtle.sign(ECDSA, key, encoder.encode(input)));
    return `${input}.${base64url(signature)}`;
  }
}

const signers = perEnv((env: object): AssertionSigner | null => {
  const settings = parseAssertionSettings(env as Record<string, unknown>);
  return settings && new AssertionSigner(settings);
});

/**
 * The env's assertion signer, built once per env; null when the feature is
 * off. Configured badly, a 500 (logged once, naming the variables).
 */
export function assertionSignerFor(env: object): AssertionSigner | null {
  try {
    return signers(env);
  } catch (err) {
    throw err instanceof ConfigError ? configFailure(err) : internalError(err);
  }
}

/**
 * Sets the signed assertion of `claims` for a request of `method` to `htu` on
 * the forwarded `headers`, when the feature is on; an anonymous request gets
 * none. Configured badly, every gateway request is a 500, anonymous ones too.
 */
export async function setAssertion(
  env: object,
  headers: Headers,
  claims: AccessClaims | undefined,
  method: string,
  htu: string,
  origin: string,
): Promise<void> {
  const signer = assertionSignerFor(env);
  if (!signer) return;
  await signer.ready();
  if (claims) headers.set(ASSERTION_HEADER, await signer.assertion(claims, method, htu, origin));
}
