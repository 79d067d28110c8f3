import type { WorkerEnv } from "../../src/types";

/**
 * Compile-time checks (`npm run typecheck`): WorkerEnv, the Worker's bindings
 * as the published types name them, stays the Env that `wrangler types`
 * generates from wrangler.toml and .dev.vars.example (test-only bindings aside).
 */
type Holds<T extends true> = T;
type Generated = Omit<Env, `TEST_${string}`>;

export type EveryBindingNamed = Holds<[Exclude<keyof Generated, keyof WorkerEnv>] extends [never] ? true : false>;
export type NoBindingInvented = Holds<[Exclude<keyof WorkerEnv, keyof Generated>] extends [never] ? true : false>;
export type SameTypes = Holds<Generated extends WorkerEnv ? (WorkerEnv extends Generated ? true : false) : false>;
