import type { Config } from "./config";
import { AuthError } from "./errors";

/**
 * Refuses (400 `validation_failed`) any attribute WRITABLE_ATTRIBUTES does not
 * list, so that no client can set `custom:role` or the like on itself.
 */
export function assertWritable(config: Config, attributes: Record<string, string> | undefined): void {
  const refused = Object.keys(attributes ?? {}).filter((name) => !config.writableAttributes.includes(name));
  if (refused.length === 0) return;
  throw new AuthError("validation_failed", {
    errors: refused.map((name) => ({ path: `attributes.${name}`, message: "is not an attribute clients may set" })),
  });
}
