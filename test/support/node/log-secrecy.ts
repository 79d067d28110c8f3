// Scans the console output of the whole run for what must never be logged:
// the secrets and passwords the tests use, tokens, and full email addresses.
import { existsSync, readFileSync } from "node:fs";

/** Every password literal used by the suites (test/**). */
const PASSWORDS = [
  "Passw0rd!",
  "N3w-Passw0rd!",
  "Wrong-Passw0rd!",
  "Not-The-Passw0rd",
  "Temp-Passw0rd!",
  "Not-The-Temp-1!",
  "S3cret-Passw0rd!-do-not-echo",
];

const PATTERNS: [string, RegExp][] = [
  ["a JWT", /eyJ[\w-]{10,}\.eyJ[\w-]{10,}/],
  ["a wrapped refresh token", /ce1\.[\w-]{8,}\./],
  ["a full email address", /[\w.+-]{2,}@example\.com/],
];

/** What the log file gives away, or an empty list. */
export function findLeaks(file: string | undefined, secrets: string[]): string[] {
  if (!file || !existsSync(file)) return ["no console log was captured"];
  const text = readFileSync(file, "utf8");
  const leaks: string[] = [];
  for (const secret of [...PASSWORDS, ...secrets]) if (secret && text.includes(secret)) leaks.push(`a secret (${secret.slice(0, 3)}…)`);
  for (const [what, pattern] of PATTERNS) if (pattern.test(text)) leaks.push(what);
  return leaks;
}
