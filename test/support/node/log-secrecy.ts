// Scans the console output of the whole run for what must never be logged:
// the secrets and passwords the tests use (test/support/secrets.ts and the
// setup's own), tokens, full email addresses and full phone numbers.
import { existsSync, readFileSync } from "node:fs";
import { TEST_SECRETS } from "../secrets";

const PATTERNS: [string, RegExp][] = [
  ["a JWT", /eyJ[\w-]{10,}\.eyJ[\w-]{10,}/],
  ["a wrapped refresh token", /ce1\.[\w-]{8,}\.|ce2\.[\w-]{40,}/],
  // A sealed session (or a decoy of one): 3,451 base64url characters.
  ["a session", /[\w-]{3000,}/],
  ["a full email address", /[\w.+-]{2,}@example\.com/],
  // The tests' numbers are +1 555 …: a masked one keeps only its last four digits.
  ["a full phone number", /\+1555\d{7}/],
];

/** What the log file gives away, or an empty list. */
export function findLeaks(file: string | undefined, secrets: string[]): string[] {
  if (!file || !existsSync(file)) return ["no console log was captured"];
  const text = readFileSync(file, "utf8");
  const leaks: string[] = [];
  for (const secret of [...TEST_SECRETS, ...secrets]) if (secret && text.includes(secret)) leaks.push(`a secret (${secret.slice(0, 3)}…)`);
  for (const [what, pattern] of PATTERNS) if (pattern.test(text)) leaks.push(what);
  return leaks;
}
