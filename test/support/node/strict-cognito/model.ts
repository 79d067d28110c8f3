// Checks what the Worker sends, and what the stand-in answers, against
// Cognito's current API model, the
// schemas that ship in @aws-sdk/client-cognito-identity-provider (operation
// names, members, how many are required, value types; devDependency, never
// bundled), and against the model's lengths, patterns, enums and ranges
// (constraints.ts, from botocore), so a request cognito-local would tolerate
// but AWS would refuse fails the test run. Answers are checked the same way
// against the operation's output shape, and an error's __type against the
// errors the SDK declares for the operation (its command's @throws list), so
// that no answer AWS never sends teaches the Worker anything. The aws-sdk v2 model that
// cognito-local ships predates USER_AUTH, passkeys and GetTokensFromRefreshToken.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { checkConstraints } from "./constraints";

// Smithy's static schemas: [kind, namespace, name, traits, ...]. Kinds: 0 simple
// (its 5th item the target), 1 list (value), 2 map (key, value), 3 structure
// (member names, member schemas, required count: the first N members), -3 error,
// 9 operation (input, output). A member schema is a number (0 string, 1 number,
// 2 boolean, 4–7 timestamp, 15 document, 21 blob, 64|x list of x, 128|x map of x),
// a thunk of a static schema, or [thunk or number, member traits].
type Ref = number | (() => Static) | [number | (() => Static), unknown];
type Static = [number, string, string, unknown, ...unknown[]];

const require = createRequire(import.meta.url);
const sdk = require("@aws-sdk/client-cognito-identity-provider") as Record<string, unknown>;

const SDK_ROOT = dirname(require.resolve("@aws-sdk/client-cognito-identity-provider/package.json"));

/** The operations AWS serves without a SigV4 signature (the SDK's smithy.api#noAuth list). */
const NO_AUTH: ReadonlySet<string> = (() => {
  const text = readFileSync(join(SDK_ROOT, "dist-es/auth/httpAuthSchemeProvider.js"), "utf8");
  const body = text.slice(text.indexOf("switch (authParameters.operation)"), text.indexOf("default:"));
  return new Set([...body.matchAll(/case "(\w+)":/g)].map((m) => m[1]));
})();

const target = (ref: Ref): number | Static => {
  const inner = Array.isArray(ref) ? ref[0] : ref;
  return typeof inner === "function" ? inner() : (inner as number);
};

/** A simple schema's target, followed to a number or a list/map/structure schema. */
function unwrap(ref: Ref): number | Static {
  let t = target(ref);
  while (Array.isArray(t) && t[0] === 0) t = target(t[4] as Ref);
  return t;
}

function check(ref: Ref, value: unknown, path: string, out: string[]): void {
  const t = unwrap(ref);
  const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  if (typeof t === "number") {
    if (t & 64) {
      if (!Array.isArray(value)) out.push(`${path}: expected a list`);
      else value.forEach((item, i) => {
        check(t & 63, item, `${path}[${i}]`, out);
      });
    } else if (t & 128) {
      if (!isObject) out.push(`${path}: expected a map`);
      else for (const [k, v] of Object.entries(value)) check(t & 63, v, `${path}.${k}`, out);
    } else if (t === 2 && typeof value !== "boolean") out.push(`${path}: expected a boolean`);
    else if (t === 1 && typeof value !== "number") out.push(`${path}: expected a number`);
    else if (t >= 4 && t <= 7 && typeof value !== "number") out.push(`${path}: expected a timestamp`);
    else if ((t === 0 || t === 21) && typeof value !== "string") out.push(`${path}: expected a string`);
    return; // 15: a document takes any JSON value
  }
  switch (t[0]) {
    case 1:
      if (!Array.isArray(value)) out.push(`${path}: expected a list`);
      else value.forEach((item, i) => {
        check(t[4] as Ref, item, `${path}[${i}]`, out);
      });
      return;
    case 2:
      if (!isObject) out.push(`${path}: expected a map`);
      else for (const [k, v] of Object.entries(value)) check(t[5] as Ref, v, `${path}.${k}`, out);
      return;
    case 3: {
      if (!isObject) {
        out.push(`${path}: expected an object`);
        return;
      }
      const names = t[4] as string[];
      const members = t[5] as Ref[];
      const required = (t[6] as number | undefined) ?? 0;
      const record = value as Record<string, unknown>;
      names.slice(0, required).forEach((name) => {
        if (record[name] === undefined) out.push(`${path}.${name}: required member missing`);
      });
      for (const [name, member] of Object.entries(record)) {
        const i = names.indexOf(name);
        if (i < 0) out.push(`${path}.${name}: unknown member`);
        else if (member !== undefined) check(members[i], member, `${path}.${name}`, out);
      }
      return;
    }
    default:
      out.push(`${path}: schema kind ${t[0]} is not checked here`);
  }
}

const operation = (op: string): Static | undefined => {
  const schema = sdk[`${op}$`];
  return Array.isArray(schema) && schema[0] === 9 ? (schema as Static) : undefined;
};

/** Violations of the model by a request to `op` with `input`; empty when it conforms. */
export function checkInput(op: string, input: unknown): string[] {
  const schema = operation(op);
  if (!schema) return [`${op}: no such Cognito operation`];
  const out: string[] = [];
  check(schema[4] as Ref, input, op, out);
  return out.length ? out : checkConstraints(op, input);
}

/** True when `op` takes a SecretHash member. */
export const takesSecretHash = (op: string): boolean => {
  const schema = operation(op);
  const input = schema ? unwrap(schema[4] as Ref) : 0;
  return Array.isArray(input) && (input[4] as string[]).includes("SecretHash");
};

/** True when AWS requires a SigV4 (IAM) signature for `op`: every operation it does not serve without auth. */
export const requiresSigV4 = (op: string): boolean => !NO_AUTH.has(op);

/**
 * AWS's common errors of a SigV4-signed request (API reference, Common Errors),
 * which the model declares for no operation: those the stand-in's SigV4 check answers.
 */
const SIGNATURE_ERRORS: ReadonlySet<string> = new Set([
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "UnrecognizedClientException",
]);

/** The SDK's schema of smithy.api#Unit, the output of an operation that answers nothing. */
const UNIT = "unit";

const declared = new Map<string, ReadonlySet<string>>();

/** The errors the SDK declares for `op`: the @throws list of its command (the service's base exception left out). */
function declaredErrors(op: string): ReadonlySet<string> {
  let errors = declared.get(op);
  if (!errors) {
    let text = "";
    try {
      text = readFileSync(join(SDK_ROOT, `dist-types/commands/${op}Command.d.ts`), "utf8");
    } catch {
      // No such command: no error is declared.
    }
    errors = new Set([...text.matchAll(/@throws \{@link (\w+)\}/g)].map((m) => m[1]).filter((name) => name.endsWith("Exception") && !name.startsWith("CognitoIdentityProvider")));
    declared.set(op, errors);
  }
  return errors;
}

/**
 * Violations of the model by an answer to `op`: a 200 body against the
 * operation's output shape (unknown or missing members, wrong types), an error
 * body's __type against the errors declared for the operation. Empty when it conforms.
 */
export function checkOutput(op: string, status: number, body: unknown): string[] {
  const schema = operation(op);
  if (!schema) return [`${op}: no such Cognito operation`];
  if (status === 200) {
    const out: string[] = [];
    // smithy.api#Unit: an operation that answers nothing, i.e. an empty object.
    // The SDK writes the unit schema as the string "unit" where a schema would stand.
    const output: unknown = target(schema[5] as Ref);
    if (output === UNIT) return body !== null && typeof body === "object" && Object.keys(body).length === 0 ? [] : [`${op} answer: expected {}`];
    check(schema[5] as Ref, body, `${op} answer`, out);
    return out;
  }
  const type = body !== null && typeof body === "object" ? (body as Record<string, unknown>).__type : undefined;
  if (typeof type !== "string") return [`${op}: an error answer without __type`];
  if (declaredErrors(op).has(type) || (requiresSigV4(op) && SIGNATURE_ERRORS.has(type))) return [];
  return [`${op}: answers ${type}, which AWS does not declare for it`];
}
