// Every JSON route of docs/API.md with its fields' types and a body it accepts.
// The fuzzer builds from these: wild bodies, a valid body with one field moved
// to a limit (a probe), and valid bodies padded to the 16 KiB limit.
import fc from "fast-check";
import { FUZZ_PASSWORD, FUZZ_REFRESH } from "../secrets";
import { ASSERTION, CREDENTIAL, fieldAny, fieldTypes, type FieldType, type Probe } from "./fields";
import { bodyOfBytes, text } from "./strings";

export interface FuzzRoute {
  path: string;
  method?: string;
  /** Whose bearer token the route needs. */
  auth?: "user" | "admin";
  /** No body counts as {} (docs/API.md: refresh and logout). */
  optionalBody?: boolean;
  fields: Record<string, FieldType>;
  /** Which of a path's entries this is, when it has more than one. */
  variant?: string;
  /** A body the route's schema accepts; `known` is the email of a verified user. */
  valid: (known: string) => Record<string, unknown>;
}

export const ROUTES: FuzzRoute[] = [
  {
    path: "/auth/register",
    fields: { email: "email", phone: "phone", password: "password", name: "name", attributes: "attributes" },
    valid: (known) => ({ email: known, password: FUZZ_PASSWORD, name: "Fuzz", attributes: { locale: "en" } }),
  },
  {
    path: "/auth/verify",
    fields: { email: "email", phone: "phone", code: "code", session: "session" },
    valid: (known) => ({ email: known, code: "123456" }),
  },
  { path: "/auth/resend-code", fields: { email: "email", phone: "phone" }, valid: (known) => ({ email: known }) },
  {
    path: "/auth/login",
    fields: { email: "email", phone: "phone", password: "password", method: "method" },
    valid: (known) => ({ email: known, password: FUZZ_PASSWORD }),
  },
  {
    path: "/auth/challenge",
    fields: {
      email: "email",
      phone: "phone",
      challenge: "challenge",
      session: "session",
      code: "code",
      newPassword: "password",
      method: "method",
      password: "password",
      credential: "assertion",
    },
    valid: (known) => ({ email: known, challenge: "SOFTWARE_TOKEN_MFA", session: "s".repeat(64), code: "123456", newPassword: FUZZ_PASSWORD }),
  },
  {
    path: "/auth/challenge",
    variant: "WEB_AUTHN",
    fields: { email: "email", phone: "phone", challenge: "challenge", session: "session", credential: "assertion" },
    valid: (known) => ({ email: known, challenge: "WEB_AUTHN", session: "s".repeat(64), credential: ASSERTION }),
  },
  { path: "/auth/refresh", optionalBody: true, fields: { refreshToken: "refreshToken" }, valid: () => ({ refreshToken: FUZZ_REFRESH }) },
  { path: "/auth/forgot-password", fields: { email: "email" }, valid: (known) => ({ email: known }) },
  {
    path: "/auth/reset-password",
    fields: { email: "email", code: "code", newPassword: "password" },
    valid: (known) => ({ email: known, code: "123456", newPassword: FUZZ_PASSWORD }),
  },
  {
    path: "/auth/logout",
    auth: "user",
    optionalBody: true,
    fields: { refreshToken: "refreshToken", global: "boolean" },
    valid: () => ({ refreshToken: FUZZ_REFRESH, global: false }),
  },
  {
    path: "/auth/change-password",
    auth: "user",
    fields: { currentPassword: "password", newPassword: "password" },
    valid: () => ({ currentPassword: FUZZ_PASSWORD, newPassword: FUZZ_PASSWORD }),
  },
  { path: "/auth/me", method: "PATCH", auth: "user", fields: { attributes: "attributes" }, valid: () => ({ attributes: { locale: "en" } }) },
  {
    path: "/auth/me/verify-attribute",
    auth: "user",
    fields: { attribute: "attributeName", code: "code" },
    valid: () => ({ attribute: "email", code: "123456" }),
  },
  {
    path: "/auth/mfa/totp/verify",
    auth: "user",
    fields: { code: "totpCode", deviceName: "deviceName" },
    valid: () => ({ code: "123456", deviceName: "phone" }),
  },
  { path: "/auth/passkeys", auth: "user", fields: { credential: "credential" }, valid: () => ({ credential: CREDENTIAL }) },
  {
    path: "/admin/users",
    auth: "admin",
    fields: { email: "email", name: "name", temporaryPassword: "password", attributes: "attributes" },
    valid: (known) => ({ email: known, name: "Fuzz", temporaryPassword: FUZZ_PASSWORD, attributes: { locale: "en" } }),
  },
];

/** One generated request body, and what the contract says of it when it can. */
export interface BodyCase {
  body: string | Uint8Array;
  contentType?: string;
  /** A valid body with one field moved to a limit. */
  probe?: Omit<Probe, "value">;
  /** A valid body padded to this many bytes with an unknown field, `pad`. */
  bytes?: number;
}

const CONTENT_TYPES = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  { weight: 1, arbitrary: fc.constantFrom("application/json; charset=utf-8", "Application/JSON ;x=1", "application/json\t") },
  { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/jsonx", "application/x-www-form-urlencoded", "") },
);

/** Wild bodies: the route's fields (each plausible or any JSON), fields dropped or added, any JSON, any text, any bytes. */
function wild(route: FuzzRoute, known: string, sealed?: string): fc.Arbitrary<BodyCase> {
  const record = fc.record(
    Object.fromEntries(
      Object.entries(route.fields).map(([k, type]) => [
        k,
        fc.oneof({ weight: 4, arbitrary: fieldAny(type, known, sealed) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
      ]),
    ),
    { requiredKeys: [] },
  );
  const extra = fc.dictionary(text(8), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });
  const json = fc.oneof(
    { weight: 6, arbitrary: record },
    { weight: 1, arbitrary: fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r })) },
    { weight: 1, arbitrary: fc.jsonValue() },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(json, CONTENT_TYPES).map(([v, contentType]) => ({ body: JSON.stringify(v) ?? "", contentType })) },
    { weight: 1, arbitrary: text(64).map((body) => ({ body, contentType: "application/json" })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((body) => ({ body, contentType: "application/json" })) },
  );
}

/** A valid body with one field moved to a limit. */
function probes(route: FuzzRoute, known: string): fc.Arbitrary<BodyCase> {
  const all: fc.Arbitrary<Probe>[] = Object.entries(route.fields).flatMap(([field, type]) => fieldTypes[type].probes(field));
  return fc.oneof(...all).map(({ value, without, ...probe }) => ({
    body: JSON.stringify({ ...route.valid(known), ...(without ? { [without]: undefined } : {}), [probe.field]: value }),
    contentType: "application/json",
    probe,
  }));
}

/** A valid body padded to 16 KiB give or take a few bytes, of each media type (a large body of another may be refused for either reason). */
const sized = (route: FuzzRoute, known: string): fc.Arbitrary<BodyCase> =>
  fc
    .tuple(fc.integer({ min: 16 * 1024 - 3, max: 16 * 1024 + 3 }), CONTENT_TYPES)
    .chain(([bytes, contentType]) => bodyOfBytes(route.valid(known), bytes).map((body) => ({ body, bytes, contentType })));

/** Every kind of body for a route (`sealed`: a session the Worker sealed for `known`). */
export const bodyCases = (route: FuzzRoute, known: string, sealed?: string): fc.Arbitrary<BodyCase> =>
  fc.oneof(
    { weight: 6, arbitrary: wild(route, known, sealed) },
    { weight: 3, arbitrary: probes(route, known) },
    { weight: 1, arbitrary: sized(route, known) },
  );
