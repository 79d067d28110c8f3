// Checks what the Worker sends against the official Cognito API model that
// ships in the aws-sdk package (operation names, required and unknown
// members, value types) and against the model's lengths, patterns, enums and
// ranges (constraints.ts), so a request cognito-local would tolerate but AWS
// would refuse fails the test run.
import { createRequire } from "node:module";
import { checkConstraints } from "./constraints";

interface Shape {
  type?: string;
  shape?: string;
  members?: Record<string, Shape>;
  required?: string[];
  member?: Shape;
  key?: Shape;
  value?: Shape;
}

interface Model {
  operations: Record<string, { input?: Shape; authtype?: string }>;
  shapes: Record<string, Shape>;
}

const require = createRequire(import.meta.url);
const model: Model = require("aws-sdk/apis/cognito-idp-2016-04-18.min.json");

function resolve(shape: Shape): Shape {
  return shape.shape ? { ...model.shapes[shape.shape], ...resolve(model.shapes[shape.shape]) } : shape;
}

function check(shape: Shape, value: unknown, path: string, out: string[]): void {
  const s = resolve(shape);
  const type = s.type ?? "string";
  switch (type) {
    case "structure": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        out.push(`${path}: expected an object`);
        return;
      }
      const record = value as Record<string, unknown>;
      for (const name of s.required ?? []) {
        if (record[name] === undefined) out.push(`${path}.${name}: required member missing`);
      }
      for (const [name, member] of Object.entries(record)) {
        const def = s.members?.[name];
        if (!def) out.push(`${path}.${name}: unknown member`);
        else if (member !== undefined) check(def, member, `${path}.${name}`, out);
      }
      return;
    }
    case "list":
      if (!Array.isArray(value)) out.push(`${path}: expected a list`);
      else value.forEach((item, i) => check(s.member ?? {}, item, `${path}[${i}]`, out));
      return;
    case "map":
      if (value === null || typeof value !== "object" || Array.isArray(value)) out.push(`${path}: expected a map`);
      else for (const [k, v] of Object.entries(value)) check(s.value ?? {}, v, `${path}.${k}`, out);
      return;
    case "boolean":
      if (typeof value !== "boolean") out.push(`${path}: expected a boolean`);
      return;
    case "integer":
    case "long":
      if (!Number.isInteger(value)) out.push(`${path}: expected an integer`);
      return;
    case "timestamp":
      if (typeof value !== "number") out.push(`${path}: expected a timestamp`);
      return;
    default:
      if (typeof value !== "string") out.push(`${path}: expected a string`);
  }
}

/** Violations of the model by a request to `op` with `input`; empty when it conforms. */
export function checkInput(op: string, input: unknown): string[] {
  const operation = model.operations[op];
  if (!operation) return [`${op}: no such Cognito operation`];
  const out: string[] = [];
  check(operation.input ?? { type: "structure", members: {} }, input, op, out);
  return out.length ? out : checkConstraints(op, input);
}

/** True when `op` takes a SecretHash member. */
export const takesSecretHash = (op: string): boolean =>
  Boolean(resolve(model.operations[op]?.input ?? {}).members?.SecretHash);

/** True when AWS requires a SigV4 (IAM) signature for `op`: every operation not marked `authtype: none`. */
export const requiresSigV4 = (op: string): boolean => model.operations[op]?.authtype !== "none";
