// Bounds of the answer to a hung upstream (Cognito or a JWKS host), derived
// from the timeout the test configures, not from the machine's worst day.
import { expect } from "vitest";

/**
 * COGNITO_TIMEOUT_MS of these tests: long enough to stand clear of the
 * request's own work on a busy machine, short enough that two of it stay
 * well under the Worker's default (5,000 ms).
 */
export const HUNG_TIMEOUT_MS = 800;

/** The env override that sets it. */
export const HUNG_ENV = { COGNITO_TIMEOUT_MS: String(HUNG_TIMEOUT_MS) };

/**
 * The Worker gave up no sooner than its timeout and before a second one
 * would have run out: a read's one retry shares the first attempt's deadline
 * (src/cognito/client.ts) and writes are not retried, so a Worker that
 * ignored the variable (5,000 ms) or gave a retry a timeout of its own fails.
 */
export function expectGaveUpAfterTimeout(startedAt: number): void {
  const elapsed = Date.now() - startedAt;
  expect(elapsed, "not before the timeout").toBeGreaterThanOrEqual(HUNG_TIMEOUT_MS);
  expect(elapsed, "within one timeout, retries included").toBeLessThan(2 * HUNG_TIMEOUT_MS);
}
