import { Cognito } from "../cognito/client";
import { getUser } from "../cognito/user-ops";
import type { Config } from "../config";
import { AuthError } from "../errors";

/** Verdicts kept per isolate; a token is settled once per recorded logout. */
const MAX_VERDICTS = 1000;
const verdicts = new Map<string, Promise<boolean>>();

/**
 * Whether Cognito still accepts `token` (GetUser refuses revoked access
 * tokens). Used only for a token issued within the second of a global logout,
 * which `iat` alone cannot place before or after it. Concurrent callers share
 * one call; an outage is not remembered (it throws `upstream_unavailable`).
 */
export function acceptedByCognito(config: Config, token: string, key: string): Promise<boolean> {
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = getUser(new Cognito(config), token).then(
      () => true,
      (err: unknown) => {
        if (err instanceof AuthError && err.code === "unauthorized") return false;
        verdicts.delete(key);
        throw err;
      },
    );
    if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value ?? "");
    verdicts.set(key, verdict);
  }
  return verdict;
}
