/** Fields of a log line: never a token, password, code, secret or full email. */
type LogFields = Record<string, unknown>;

/** Writes one structured JSON log line. */
export function log(level: "info" | "warn" | "error", event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
}
