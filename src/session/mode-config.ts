import * as z from "zod/mini";

/**
 * SESSION_MODE: `token` (default), sign-ins answer tokens; `browser`, a sign-in
 * from a browser answers a session cookie and the tokens stay at the edge
 * (docs/API.md, "Browser sessions"). Named for who holds the credential.
 */
export type SessionMode = "token" | "browser";

const Mode = z.lazy(() => z.optional(z.enum(["token", "browser"])));

/** Parses SESSION_MODE (unset or blank: `token`); undefined when it is anything else. */
export function parseSessionMode(env: Record<string, unknown>): SessionMode | undefined {
  const raw = env.SESSION_MODE;
  const parsed = Mode.safeParse(typeof raw === "string" && raw.trim() !== "" ? raw.trim() : undefined);
  return parsed.success ? (parsed.data ?? "token") : undefined;
}
