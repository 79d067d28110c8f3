// The length, pattern, enum and range constraints of Cognito's model
// (constraints.json, extracted from botocore by scripts/cognito-constraints.mjs),
// checked against every request the Worker sends, as AWS validates it before
// anything else ("1 validation error detected: Value at 'x' failed to satisfy
// constraint"). Messages name the member and the constraint, never the value:
// many of these members are passwords, tokens and secrets.
// A static import, so that npm start's esbuild bundle of the stand-in carries the file.
import constraints from "./constraints.json" with { type: "json" };

interface Constrained {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  members?: Record<string, string>;
  member?: string;
  key?: string;
  value?: string;
}

interface ConstraintsFile {
  operations: Record<string, string>;
  shapes: Record<string, Constrained>;
}

const file: ConstraintsFile = constraints;

/** Java's \s: ASCII whitespace only (JavaScript's \s also takes Unicode spaces). */
const JAVA_SPACE = " \\t\\n\\x0B\\f\\r";

/**
 * A JavaScript RegExp that matches what the Java pattern matches against the
 * whole value (AWS validates with Java's Matcher.matches()), or undefined when
 * the pattern uses Java syntax this does not translate.
 */
export function translatePattern(java: string): RegExp | undefined {
  let out = "";
  let inClass = false;
  let classStart = 0;
  for (let i = 0; i < java.length; i++) {
    const ch = java[i];
    if (ch === "\\") {
      const next = java[i + 1];
      i++;
      if (next === "s") out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else if (next === "S") {
        // Alone in its class ([\S]) it is the class; beside other items it has no JavaScript form.
        if (!inClass) out += `[^${JAVA_SPACE}]`;
        else if (i === classStart + 2 && java[i + 1] === "]") {
          out = `${out.slice(0, -1)}[^${JAVA_SPACE}]`;
          i++;
          inClass = false;
        } else return undefined;
      } else if (next === "p" || next === "P") {
        // General categories (\p{L}, \p{Lu}) mean the same in both; \p{Alpha} is ASCII in Java, Unicode here.
        const name = /^\{([A-Z][a-z]?)\}/.exec(java.slice(i + 1));
        if (!name) return undefined;
        out += `\\${next}${name[0]}`;
        i += name[0].length;
      } else out += `\\${next ?? ""}`;
      continue;
    }
    if (ch === "[" && !inClass) {
      inClass = true;
      classStart = i;
    } else if (ch === "[" || (ch === "&" && java[i + 1] === "&" && inClass)) {
      return undefined; // nested classes and intersections are Java-only
    } else if (ch === "]" && inClass) {
      inClass = false;
    }
    out += ch;
  }
  try {
    return new RegExp(`^(?:${out})$`, "u");
  } catch {
    return undefined; // possessive quantifiers, \Q..\E, POSIX classes, inline flags ...
  }
}

const patterns = new Map<string, RegExp | undefined>();
/** The model's patterns that have no JavaScript translation, so are not checked. */
export const untranslatedPatterns: string[] = [];

function patternOf(shape: string, java: string): RegExp | undefined {
  if (!patterns.has(shape)) {
    const regex = translatePattern(java);
    if (!regex) untranslatedPatterns.push(`${shape}: ${java}`);
    patterns.set(shape, regex);
  }
  return patterns.get(shape);
}

function size(value: unknown): number | undefined {
  if (typeof value === "string") return value.length; // Java's String.length(): UTF-16 units, as here
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === "object") return Object.keys(value).length;
  return undefined;
}

function check(name: string, value: unknown, path: string, out: string[]): void {
  const shape = file.shapes[name];
  if (!shape || value === undefined || value === null) return;
  if (typeof value === "number") {
    if (shape.min !== undefined && value < shape.min) out.push(`${path}: below the minimum ${shape.min} (${name})`);
    if (shape.max !== undefined && value > shape.max) out.push(`${path}: above the maximum ${shape.max} (${name})`);
    return;
  }
  const length = size(value);
  if (length !== undefined) {
    if (shape.min !== undefined && length < shape.min) out.push(`${path}: shorter than ${shape.min} (${name})`);
    if (shape.max !== undefined && length > shape.max) out.push(`${path}: longer than ${shape.max} (${name})`);
  }
  if (typeof value === "string") {
    if (shape.enum && !shape.enum.includes(value)) out.push(`${path}: not one of the enum values (${name})`);
    if (shape.pattern && patternOf(name, shape.pattern)?.test(value) === false) {
      out.push(`${path}: does not match the pattern ${shape.pattern} (${name})`);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (shape.member) value.forEach((item, i) => {
      check(shape.member ?? "", item, `${path}[${i}]`, out);
    });
    return;
  }
  if (typeof value !== "object") return;
  const record = value as Record<string, unknown>;
  if (shape.type === "map") {
    for (const [k, v] of Object.entries(record)) {
      if (shape.key) check(shape.key, k, `${path} key`, out);
      if (shape.value) check(shape.value, v, `${path}.${k}`, out);
    }
    return;
  }
  for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
    check(memberShape, record[member], `${path}.${member}`, out);
  }
}

/** Constraint violations of a request to `op`; types and members are model.ts's job. */
export function checkConstraints(op: string, input: unknown): string[] {
  const shape = file.operations[op];
  if (!shape) return [`${op}: not in constraints.json (add it to scripts/cognito-constraints.mjs and run it)`];
  const out: string[] = [];
  check(shape, input, op, out);
  return out;
}

/** Translates every pattern once, so that untranslatedPatterns is complete. */
export function translateAll(): void {
  for (const [name, shape] of Object.entries(file.shapes)) if (shape.pattern) patternOf(name, shape.pattern);
}
