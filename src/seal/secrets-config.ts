import { EdgeKeys, MIN_SECRET_BYTES } from "./keys";

/** The variables of the Worker's secret. */
export const SECRET_VARIABLES = ["EDGE_SECRET", "EDGE_SECRET_PREVIOUS", "EDGE_SECRET_PREVIOUS_UNTIL"] as const;

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
const longEnough = (secret: string) => new TextEncoder().encode(secret).length >= MIN_SECRET_BYTES;

/**
 * EDGE_SECRET (at least 32 bytes), and for a rotation EDGE_SECRET_PREVIOUS
 * with EDGE_SECRET_PREVIOUS_UNTIL (an ISO 8601 instant after which it opens
 * nothing). `keys` is undefined when EDGE_SECRET is unset; `invalid` names
 * the variables that are set but malformed.
 */
export function parseSecrets(env: Record<string, unknown>): { keys?: EdgeKeys; invalid: string[] } {
  const current = text(env.EDGE_SECRET);
  const previous = text(env.EDGE_SECRET_PREVIOUS);
  const until = text(env.EDGE_SECRET_PREVIOUS_UNTIL);
  const invalid: string[] = [];
  if (current !== undefined && !longEnough(current)) invalid.push("EDGE_SECRET");
  if (previous !== undefined && !longEnough(previous)) invalid.push("EDGE_SECRET_PREVIOUS");
  // A previous secret without a stated end would stay valid for ever; an end without a secret is a typo.
  const untilMs = until === undefined || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(until) ? Number.NaN : Date.parse(until);
  if ((previous !== undefined || until !== undefined) && !(previous !== undefined && Number.isFinite(untilMs))) {
    invalid.push("EDGE_SECRET_PREVIOUS_UNTIL");
  }
  if (invalid.length || current === undefined) return { invalid };
  return { keys: new EdgeKeys({ current, previous, previousUntilMs: untilMs }), invalid };
}
