// Generated values for each field type of docs/API.md ("Field types"), and
// probes: a value on either side of one of its limits, with the contract's own
// verdict on it. The verdicts are written from docs/API.md, not imported from
// src/schemas.ts, so that the schema is checked against the contract.
import fc from "fast-check";
import { FUZZ_CODE, FUZZ_PASSWORD, FUZZ_REFRESH } from "../secrets";
import { around, codePoints, noSpace, ofLength, text } from "./strings";

/** A value at one field, and whether docs/API.md accepts it there. */
export interface Probe {
  /** The top-level field the value goes into. */
  field: string;
  /** What errors[].path names when the value is refused. */
  path: string;
  value: unknown;
  ok: boolean;
  /** A field of the valid body the value stands in for (a phone for the email: exactly one of the two). */
  without?: string;
}

/** docs/API.md, "Sign-up and sign-in": the challenges POST /auth/challenge answers. */
export const CHALLENGES = ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP", "SMS_OTP", "NEW_PASSWORD_REQUIRED", "MFA_SETUP", "SELECT_CHALLENGE", "WEB_AUTHN"];
/** Some of the default WRITABLE_ATTRIBUTES (email and name are top-level at registration). */
const WRITABLE = ["locale", "zoneinfo", "nickname", "given_name", "family_name", "website", "birthdate", "address"];
const NOT_WRITABLE = ["sub", "email_verified", "phone_number_verified", "cognito:x", "custom:role", "identities", "email", "name"];

/** A body with a registration response's shape (docs/API.md, "Passkeys"); no pool would verify it. */
export const CREDENTIAL = {
  id: "Y3JlZGVudGlhbA",
  rawId: "Y3JlZGVudGlhbA",
  type: "public-key",
  response: { clientDataJSON: "e30", attestationObject: "oA", transports: ["internal"] },
  clientExtensionResults: {},
};
/** An AuthenticationResponseJSON's shape (docs/API.md, `credential` of POST /auth/challenge); no pool would verify it. */
export const ASSERTION = {
  id: "Y3JlZGVudGlhbA",
  rawId: "Y3JlZGVudGlhbA",
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
  clientExtensionResults: {},
};
/** docs/API.md: the methods of a choice-based sign-in. */
const METHODS = ["password", "email_otp", "sms_otp", "passkey"];
/** docs/API.md: a phone is E.164, 7–15 digits in all. */
const phoneOk = (v: string) => /^\+[1-9][0-9]{6,14}$/.test(v);
/** docs/API.md: a sealed session is 3,451 base64url characters, always. */
export const SEALED_LENGTH = 3451;
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const base64urlOfLength = (n: number) => fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: n, maxLength: n });
/** A real sealed session with one character changed: the seal must catch it. */
const tampered = (sealed: string) =>
  fc.tuple(fc.nat(sealed.length - 1), fc.constantFrom(...BASE64URL)).map(([i, c]) => {
    const other = c === sealed[i] ? (c === "A" ? "B" : "A") : c;
    return sealed.slice(0, i) + other + sealed.slice(i + 1);
  });
/** Sessions of every shape: any text, the sealed length and near it, a real one, altered, cut or grown. */
const sessions = (sealed?: string) =>
  fc.oneof(
    text(),
    fc.string({ unit: "grapheme-ascii", minLength: 20, maxLength: 80 }),
    around(4096).chain((n) => ofLength(n)),
    around(SEALED_LENGTH).chain(base64urlOfLength),
    ...(sealed ? [fc.constant(sealed), tampered(sealed), fc.constantFrom(sealed.slice(1), `${sealed}A`, sealed.slice(0, -1), sealed.replace(/-/g, "+"))] : []),
  );

/** docs/API.md: a credential id is 1–1,366 characters of base64url (padding allowed). */
const credentialIdOk = (v: string) => /^[A-Za-z0-9_-]+={0,2}$/.test(v) && v.length <= 1366;

const DOMAIN = "@example.com";
/** A well-formed, unused email address of exactly `n` characters (n >= 30). */
const emailOfLength = (n: number) =>
  fc.uuid().map((u) => `${(`fz${u.replace(/-/g, "")}`).padEnd(n - DOMAIN.length, "x").slice(0, n - DOMAIN.length)}${DOMAIN}`);
/** `n` attributes, none of them writable (docs/API.md: an attribute map has at most 50). */
const manyAttributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`custom:f${i}`, "v"]));
/** `n` characters that stay `n` after trimming. */
const trimmedOfLength = (n: number) => (n < 2 ? ofLength(n, noSpace) : ofLength(n - 2).map((s) => `N${s}N`));
/** A marker followed by generated text, `n` characters in all (the marker must never come back). */
const marked = (marker: string, n: number, filter?: (s: string) => string) =>
  ofLength(n - marker.length, filter).map((s) => codePoints(marker + s).slice(0, Math.max(n, 0)).join(""));

/**
 * `field` set to a value of about each length around `max` (and `min`), judged
 * by the characters it has (joined pieces may pair lone surrogates up) after
 * trimming where docs/API.md trims.
 */
function lengthProbe(
  field: string,
  min: number,
  max: number,
  make: (n: number) => fc.Arbitrary<string>,
  trimmed = false,
  unit: "code points" | "UTF-16 units" = "code points",
): fc.Arbitrary<Probe> {
  const lengths = min > 0 ? fc.oneof(around(max), around(min)) : around(max);
  return lengths.chain(make).map((value) => {
    const judged = trimmed ? value.trim() : value;
    // docs/API.md: values Cognito stores (passwords, names, attribute values) are measured as Cognito does, in UTF-16 units.
    const n = unit === "UTF-16 units" ? judged.length : codePoints(judged).length;
    return { field, path: field, value, ok: n >= min && n <= max };
  });
}

/** `field` set to each generated value, judged by `ok`. */
const ruleProbe = <T>(field: string, values: fc.Arbitrary<T>, ok: (v: T) => boolean): fc.Arbitrary<Probe> =>
  values.map((value) => ({ field, path: field, value, ok: ok(value) }));

/** Every field type: `any` generates plausible and wild values, `probes` the limits. */
export const fieldTypes = {
  email: {
    any: (known: string) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.tuple(fc.boolean(), fc.constantFrom("", " ", "\t", "\u00a0")).map(([up, ws]) => ws + (up ? known.toUpperCase() : known) + ws) },
        { weight: 2, arbitrary: emailOfLength(48) },
        { weight: 1, arbitrary: fc.emailAddress() },
        { weight: 1, arbitrary: text() },
        { weight: 1, arbitrary: around(128).chain(emailOfLength) },
      ),
    probes: (path: string) => [lengthProbe(path, 0, 128, emailOfLength)],
  },
  password: {
    any: () =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(FUZZ_PASSWORD) },
        { weight: 2, arbitrary: fc.tuple(text(8), text(8)).map(([a, b]) => a + FUZZ_PASSWORD + b) },
        { weight: 1, arbitrary: around(256).chain((n) => marked(FUZZ_PASSWORD, n)) },
        { weight: 1, arbitrary: text() },
      ),
    probes: (path: string) => [lengthProbe(path, 1, 256, (n) => marked(FUZZ_PASSWORD, n), false, "UTF-16 units")],
  },
  name: {
    any: () => fc.oneof(text(), fc.constantFrom("", "   ", "\u00a0"), around(2048).chain(trimmedOfLength)),
    probes: (path: string) => [lengthProbe(path, 1, 2048, trimmedOfLength, true, "UTF-16 units")],
  },
  code: {
    any: () =>
      fc.oneof(
        fc.constantFrom("123456", FUZZ_CODE, "", " 123456", "12 34"),
        text(),
        around(64).chain((n) => marked(FUZZ_CODE, n, noSpace)),
      ),
    probes: (path: string) => [
      lengthProbe(path, 1, 64, (n) => marked(FUZZ_CODE, n, noSpace)),
      ruleProbe(
        path,
        fc.tuple(text(8), fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u2028", "\ufeff")).map(([s, ws]) => `${FUZZ_CODE}${ws}${s}`),
        () => false,
      ),
    ],
  },
  totpCode: {
    any: () => fc.oneof(fc.stringMatching(/^\d{5,7}$/), fc.constantFrom("１２３４５６", "٠١٢٣٤٥", "12345６"), text(8)),
    probes: (path: string) => [
      ruleProbe(path, fc.oneof(fc.stringMatching(/^\d{4,8}$/), fc.constantFrom("１２３４５６", "٠١٢٣٤٥", "123 56", "12345\n"), text(7)), (v) =>
        /^[0-9]{6}$/.test(v),
      ),
    ],
  },
  session: {
    any: (sealed?: string) => sessions(sealed),
    probes: (path: string) => [
      lengthProbe(path, 1, 4096, (n) => ofLength(n)),
      around(SEALED_LENGTH).chain(base64urlOfLength).map((value) => ({ field: path, path, value, ok: true })),
    ],
  },
  phone: {
    any: () =>
      fc.oneof(
        { weight: 3, arbitrary: fc.stringMatching(/^\+1555[0-9]{7}$/) },
        { weight: 2, arbitrary: fc.stringMatching(/^\+?[0-9]{0,17}$/) },
        { weight: 1, arbitrary: fc.constantFrom("+0123456789", "+1 555 555 0123", "+１５５５５５５０１２３", "15555550123", "+", "") },
        { weight: 1, arbitrary: text() },
      ),
    probes: (path: string) => [
      ruleProbe(
        path,
        fc.oneof(
          fc.integer({ min: 5, max: 17 }).chain((n) => fc.stringMatching(new RegExp(`^\\+[1-9][0-9]{${n - 1}}$`))),
          fc.constantFrom("+0123456789", "+1 555 555 0123", "+１５５５５５５０１２３", "15555550123", "+15555550123\n", "+1555555012a"),
          text(16),
        ),
        (v) => typeof v === "string" && phoneOk(v),
      ).map((probe) => ({ ...probe, without: "email" })),
    ],
  },
  method: {
    any: () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...METHODS) }, { weight: 1, arbitrary: text(12) }),
    probes: (path: string) => [
      ruleProbe(path, fc.oneof(fc.constantFrom(...METHODS), fc.constantFrom("PASSWORD", "Email_OTP", "otp", "webauthn", "", " passkey"), text(10)), (v) =>
        METHODS.includes(v),
      ),
    ],
  },
  assertion: {
    any: () =>
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(ASSERTION) },
        { weight: 1, arbitrary: around(8192).map((n) => ({ ...ASSERTION, id: "A".repeat(n), rawId: "A".repeat(n) })) },
        { weight: 1, arbitrary: fc.record({ id: text(), rawId: text(), type: text(12), response: fc.jsonValue({ maxDepth: 2 }) }) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      ),
    probes: (path: string) => [
      fc
        .oneof(fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/), fc.constantFrom("a+b", "a/b", "a b", "ä", "a.b"))
        .map((id) => ({ field: path, path: `${path}.id`, value: { ...ASSERTION, id }, ok: /^[A-Za-z0-9_-]*$/.test(id) })),
      fc
        .oneof(fc.constantFrom<unknown>("public-key", "Public-Key", "password", "", 1, null), text(10))
        .map((type) => ({ field: path, path: `${path}.type`, value: { ...ASSERTION, type }, ok: type === "public-key" })),
      fc.constantFrom("clientDataJSON", "authenticatorData", "signature").map((member) => ({
        field: path,
        path: `${path}.response.${member}`,
        value: { ...ASSERTION, response: Object.fromEntries(Object.entries(ASSERTION.response).filter(([k]) => k !== member)) },
        ok: false,
      })),
    ],
  },
  refreshToken: {
    any: () =>
      fc.oneof(
        fc.constant(FUZZ_REFRESH),
        fc.tuple(text(12), text(40)).map(([a, b]) => `ce1.${a}.${b}${FUZZ_REFRESH}`),
        fc.tuple(fc.base64String(), fc.base64String()).map(([a, b]) => `ce1.${a}.${b}`),
        text(),
        around(8192).chain((n) => marked(FUZZ_REFRESH, n)),
      ),
    probes: (path: string) => [lengthProbe(path, 1, 8192, (n) => marked(FUZZ_REFRESH, n))],
  },
  deviceName: {
    any: () => fc.oneof(text(), around(64).chain(trimmedOfLength)),
    probes: (path: string) => [lengthProbe(path, 1, 64, trimmedOfLength, true)],
  },
  attributeName: {
    any: () =>
      fc.oneof(
        fc.constantFrom(...WRITABLE),
        fc.constantFrom(...NOT_WRITABLE),
        text(10),
        around(32).map((n) => "a".repeat(n)),
      ),
    probes: (path: string) => [
      ruleProbe(path, fc.oneof(around(32).map((n) => "a".repeat(n)), fc.constantFrom("", "a b", "ä", "email\u0000"), text(6)), (v) =>
        /^[A-Za-z0-9_:.-]{1,32}$/.test(v),
      ),
    ],
  },
  attributes: {
    any: () =>
      fc.oneof(
        fc.dictionary(fieldTypes.attributeName.any(), fc.oneof(text(), around(2048).chain((n) => ofLength(n))), { maxKeys: 4 }),
        around(50).map(manyAttributes),
      ),
    probes: (path: string) => [
      lengthProbe(path, 0, 2048, (n) => ofLength(n), false, "UTF-16 units").map((p) => ({ ...p, path: `${path}.locale`, value: { locale: p.value } })),
      around(50).map((n) => ({ field: path, path, value: manyAttributes(n), ok: n <= 50 })),
    ],
  },
  challenge: {
    any: () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CHALLENGES) }, { weight: 1, arbitrary: text(20) }),
    probes: (path: string) => [
      ruleProbe(path, fc.oneof(fc.constantFrom(...CHALLENGES), fc.constantFrom("CUSTOM_CHALLENGE", "sms_mfa", "SELECT_MFA_TYPE"), text(12)), (v) =>
        CHALLENGES.includes(v),
      ),
    ],
  },
  credential: {
    any: () =>
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(CREDENTIAL) },
        { weight: 2, arbitrary: around(1366).map((n) => ({ ...CREDENTIAL, id: "A".repeat(n), rawId: "A".repeat(n) })) },
        { weight: 1, arbitrary: fc.record({ id: text(), rawId: text(), type: text(12), response: fc.jsonValue({ maxDepth: 2 }) }) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      ),
    probes: (path: string) => [
      around(1366).map((n) => ({ field: path, path: `${path}.id`, value: { ...CREDENTIAL, id: "A".repeat(n) }, ok: n >= 1 && n <= 1366 })),
      fc
        .oneof(fc.stringMatching(/^[A-Za-z0-9_=-]{0,8}$/), fc.constantFrom("a+b", "a/b", "a b", "abc===", "ä"), text(8))
        .map((id) => ({ field: path, path: `${path}.id`, value: { ...CREDENTIAL, id }, ok: credentialIdOk(id) })),
      fc
        .oneof(fc.constantFrom<unknown>("public-key", "Public-Key", "password", "", 1, null), text(10))
        .map((type) => ({ field: path, path: `${path}.type`, value: { ...CREDENTIAL, type }, ok: type === "public-key" })),
      around(16).map((n) => ({
        field: path,
        path: `${path}.response.transports`,
        value: { ...CREDENTIAL, response: { ...CREDENTIAL.response, transports: Array(n).fill("usb") } },
        ok: n <= 16,
      })),
    ],
  },
  boolean: {
    any: () => fc.boolean(),
    probes: (path: string) => [ruleProbe(path, fc.oneof(fc.boolean(), fc.constantFrom<unknown>("true", 1, 0, null)), (v) => typeof v === "boolean")],
  },
} as const;

export type FieldType = keyof typeof fieldTypes;

/** The generated values of a field type (`known`: an email of a verified user; `sealed`: a session the Worker sealed for it). */
export function fieldAny(type: FieldType, known = "unknown@example.com", sealed?: string): fc.Arbitrary<unknown> {
  if (type === "email") return fieldTypes.email.any(known);
  if (type === "session") return fieldTypes.session.any(sealed);
  return fieldTypes[type].any();
}
