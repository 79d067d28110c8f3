// Runs a fast-check property with the run count of this run: the CI default in
// `npm test`, FUZZ_RUNS in `npm run fuzz` (vitest.config.ts provides it), where
// each property also prints its count. A failure carries fast-check's report:
// the shrunk counterexample, and the seed and path that replay it
// (FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz).
import fc from "fast-check";
import { inject } from "vitest";
import "../provided";
import { printable } from "./strings";

const settings = inject("fuzz");

/** Inputs per property: FUZZ_RUNS when set, else `ciRuns`. */
export const runsOf = (ciRuns: number) => settings.runs || ciRuns;

/** A test timeout for a property of `ciRuns` (or FUZZ_RUNS) inputs of about `msEach`. */
export const timeoutFor = (ciRuns: number, msEach: number) => 60_000 + runsOf(ciRuns) * msEach;

/** Checks `predicate` on `runsOf(ciRuns)` generated values; throws fast-check's report on a failure. */
export async function fuzz<T>(name: string, values: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, ciRuns: number) {
  const started = Date.now();
  const details = await fc.check(fc.asyncProperty(values, predicate), {
    numRuns: runsOf(ciRuns),
    includeErrorInReport: true,
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    ...(settings.path === undefined ? {} : { path: settings.path }),
  });
  if (settings.runs) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const outcome = details.failed ? `FAILED after ${details.numRuns} (seed ${details.seed}, path ${details.counterexamplePath})` : "all passed";
    console.warn(`fuzz ${name}: ${details.numRuns} inputs, ${outcome}, ${seconds} s`);
  }
  if (details.failed) throw new Error(printable((await fc.asyncDefaultReportMessage(details)) ?? "failed"));
}
