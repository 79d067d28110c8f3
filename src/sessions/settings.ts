import * as z from "zod/mini";
import { ConfigError, perEnv } from "../config";

/**
 * Sessions kept per user whatever SESSION_LIMIT says: one more ends the
 * oldest, so that signing in again and again cannot grow the object.
 */
export const MAX_SESSIONS = 100;

/** The session registry's setting: SESSION_LIMIT, concurrent sessions per user (1 to MAX_SESSIONS); unset, MAX_SESSIONS. */
const Settings = z.lazy(() =>
  z.object({
    SESSION_LIMIT: z
      .pipe(
        z.optional(z.string()),
        // Decimal digits only: Number() would also take "0x10" or "1e1".
        z.transform((v) => (v && v.trim() !== "" ? (/^\d{1,3}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN) : undefined)),
      )
      .check(z.refine((n) => n === undefined || (Number.isInteger(n) && n >= 1 && n <= MAX_SESSIONS))),
  }),
);

/** What the registry is told at a sign-in: how many sessions a user may hold. */
export interface SessionSettings {
  limit: number;
}

/**
 * SESSION_LIMIT of this env, parsed once per isolate. Malformed, it is a
 * ConfigError naming it (logged once): the session routes answer 500 and
 * sign-ins record sessions without a cap beyond MAX_SESSIONS (sessions/hooks.ts),
 * since a typo must not stop anyone signing in.
 */
export const sessionSettings = perEnv((env: object): SessionSettings => {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) throw new ConfigError(["SESSION_LIMIT"]);
  return { limit: parsed.data.SESSION_LIMIT ?? MAX_SESSIONS };
});
