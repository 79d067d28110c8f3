// Validly signed access tokens whose claims and header are fuzzed in type and
// value, with docs/API.md's verdict on each ("Access-token verification"): a
// token passes only with every rule met, and then the gateway forwards exactly
// its claims (docs/API.md, "Gateway").
import fc from "fast-check";
import { printable, text } from "./strings";

/** Claims as generated: times are offsets from the moment of signing; undefined leaves a claim out. */
export type ClaimsSpec = Record<string, unknown>;
const TIME_CLAIMS = ["iat", "exp", "nbf", "auth_time"];
/** Offsets (seconds) kept clear of the 60 s tolerance's edge, so a slow run cannot change a verdict. */
const TOLERANCE_S = 60;

/** A relative time: `{ in: seconds }` becomes now + seconds when signed. */
const at = (from: number, to: number) => fc.integer({ min: from, max: to }).map((s) => ({ in: s }));
const anyJson = fc.jsonValue({ maxDepth: 1 });
/**
 * Identity text: mostly printable ASCII (commas, quotes and % included), some
 * values a header cannot carry, some of any Unicode (workerd prints a warning
 * for each non-ASCII header the gateway sets, so these are kept rare).
 */
const idText = (maxLength: number) =>
  fc.oneof(
    { weight: 16, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength }) },
    { weight: 2, arbitrary: fc.constantFrom("a\u0000b", " lead", "trail\t", "x\r\ny", "\ud800", "\u00a0nbsp") },
    { weight: 1, arbitrary: text(maxLength) },
  );
const often = <T>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 5, arbitrary: usual }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: other });

/** Claims of every type and value, mostly those of a good token. */
export function claimsSpecs(issuer: string, clientId: string): fc.Arbitrary<ClaimsSpec> {
  return fc
    .record({
      iss: often(fc.constant(issuer), fc.oneof(fc.constantFrom(`${issuer}/`, issuer.toUpperCase(), null, 1), fc.constant([issuer]), text())),
      token_use: often(fc.constant("access"), fc.oneof(fc.constantFrom("id", "ACCESS", "access ", null, 0), fc.constant(["access"]))),
      client_id: often(fc.constant(clientId), fc.oneof(fc.constantFrom("", clientId.toUpperCase(), null, 42), fc.constant([clientId]), text())),
      // The client id itself: with no username, a client-credentials token.
      sub: often(fc.uuid(), fc.oneof(fc.constantFrom("", null, 7, clientId), idText(40), fc.constant(["sub"]))),
      username: fc.oneof(fc.constant(undefined), fc.uuid(), idText(40), fc.constantFrom("", null, 1, "user,admin")),
      scope: often(
        fc.constant("aws.cognito.signin.user.admin"),
        fc.oneof(fc.constantFrom("", "  openid  email ", null, 1), fc.constant(["openid"]), fc.array(idText(10), { maxLength: 3 }).map((a) => a.join(" "))),
      ),
      "cognito:groups": fc.oneof(
        { weight: 2, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.array(idText(12), { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>([], ["admin"], "admin", [1], null, [null], ["a,b"]) },
      ),
      iat: often(at(-600, 0), fc.oneof(at(10, 50), at(70, 10_000), fc.constantFrom("0", null, 0, -1, 1.5))),
      exp: often(at(600, 86_400), fc.oneof(at(-50, -10), at(-100_000, -70), fc.constantFrom("9999999999", null, 1e12, 0))),
      nbf: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.oneof(at(-600, 50), at(70, 10_000)) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>("0", null, 0) },
      ),
      auth_time: fc.oneof(fc.constant(undefined), at(-600, 0), anyJson),
      jti: fc.oneof(fc.uuid(), fc.constant(undefined), anyJson),
      extra: fc.dictionary(text(10), anyJson, { maxKeys: 2 }),
    })
    .map(({ extra, ...claims }) => ({ ...extra, ...claims }));
}

const isRelative = (v: unknown): v is { in: number } => typeof v === "object" && v !== null && "in" in v;

/** The payload to sign: relative times made absolute, left-out claims removed. */
export function payloadOf(spec: ClaimsSpec, nowS: number): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    payload[k] = TIME_CLAIMS.includes(k) && isRelative(v) ? nowS + v.in : v;
  }
  return payload;
}

/** The X-Auth-* headers the gateway forwards for a token that passes. */
export type Identity = Record<"x-auth-kind" | "x-auth-sub" | "x-auth-groups" | "x-auth-scope" | "x-auth-client-id", string> & {
  "x-auth-username": string | undefined;
};
export type Verdict = { pass: true; identity: Identity } | { pass: false; codes: string[] };

/**
 * docs/API.md's verdict on a signed token with this payload, for this issuer and client, at `nowS`, on a
 * gateway path; `signs`: the gateway signs assertions, and vouches for no token past its exp (token_expired).
 */
export function verdictOf(p: Record<string, unknown>, issuer: string, clientId: string, nowS: number, signs = false): Verdict {
  const has = (k: string) => Object.hasOwn(p, k);
  const num = (k: string) => (typeof p[k] === "number" ? (p[k] as number) : undefined);
  const groups = p["cognito:groups"];
  const broken = [
    // 6: sub, exp and iat present; 4: the issuer; 7: the times are numbers.
    !has("sub") || !has("exp") || !has("iat") || p.iss !== issuer,
    has("iat") && num("iat") === undefined,
    has("exp") && num("exp") === undefined,
    has("nbf") && (num("nbf") === undefined || (num("nbf") as number) > nowS + TOLERANCE_S),
    (num("iat") ?? 0) > nowS + TOLERANCE_S,
    // 5, 6: an access token of this client.
    p.token_use !== "access",
    p.client_id !== clientId,
    typeof p.sub !== "string" || p.sub === "",
    typeof p.scope !== "string",
    has("cognito:groups") && !(Array.isArray(groups) && groups.every((g) => typeof g === "string")),
  ].some(Boolean);
  const identity = broken ? undefined : identityOf(p);
  // docs/API.md, "Gateway": a token whose identity a header would alter is refused.
  const unforwardable =
    identity !== undefined && Object.values(identity).some((v) => v !== undefined && (/[\0\r\n]|^[\t ]|[\t ]$/.test(v) || printable(v) !== v));
  const expired = num("exp") !== undefined && (num("exp") as number) <= nowS - (signs ? 0 : TOLERANCE_S);
  // docs/API.md names no order of the checks: an expired token with another defect may be either.
  if (broken || unforwardable) return { pass: false, codes: expired ? ["unauthorized", "token_expired"] : ["unauthorized"] };
  if (expired) return { pass: false, codes: ["token_expired"] };
  return { pass: true, identity: identityOf(p) };
}

/** docs/API.md, "Gateway": the X-Auth-* headers of a token that passes. */
const identityOf = (p: Record<string, unknown>): Identity => {
  // A client-credentials token: no username, its client as subject; it gets no X-Auth-Username.
  const client = p.username === undefined && p.sub === p.client_id;
  return {
    "x-auth-kind": client ? "client" : "user",
    "x-auth-sub": p.sub as string,
    "x-auth-username": client ? undefined : typeof p.username === "string" ? p.username : (p.sub as string),
    "x-auth-groups": ((p["cognito:groups"] as string[] | undefined) ?? []).join(","),
    "x-auth-scope": (p.scope as string).split(" ").filter(Boolean).join(" "),
    "x-auth-client-id": p.client_id as string,
  };
};

/** A JOSE header: mostly right, sometimes another alg, kid or a critical extension; extra members are ignored. */
export const headerSpecs = (kid: string) =>
  fc.record({
    alg: often(fc.constant("RS256"), fc.constantFrom("RS384", "PS256", "HS256", "none", "rs256", "ES256", null)),
    kid: often(fc.constant(kid), fc.oneof(fc.constantFrom("", `${kid} `, kid.toUpperCase(), null, 1), idText(12))),
    typ: fc.oneof(fc.constant(undefined), fc.constantFrom("JWT", "at+jwt", ""), idText(6)),
    crit: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(["x-ext"], [], ["exp"], "x-ext") }),
    "x-ext": fc.oneof(fc.constant(undefined), anyJson),
    jku: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("https://evil.example/jwks.json") }),
  });

/** docs/API.md, step 2: a non-empty kid of the JWKS and alg RS256; RFC 7515 §4.1.11: no unknown critical extension. */
export const headerPasses = (h: Record<string, unknown>, kid: string) => h.alg === "RS256" && h.kid === kid && h.crit === undefined;

/** Authorization values that are not `Bearer <token>` of a signed token (printable ASCII: what a header carries as is). */
export const wildAuthorization = fc
  .oneof(
    fc.string({ unit: "binary-ascii", maxLength: 80 }),
    text(40).map((s) => `Bearer ${s}`),
    fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
    fc.jsonValue().map((v) => `Bearer eyJhbGciOiJSUzI1NiJ9.${btoa(JSON.stringify(v) ?? "null").replace(/=+$/, "")}.c2ln`),
    fc.integer({ min: 8190, max: 8194 }).map((n) => `Bearer ${"a".repeat(n)}`),
  )
  .map((h) => h.replace(/[^\t\x20-\x7e]/g, ""));
