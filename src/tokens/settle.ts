import type { Cognito } from "../cognito/client";
import { getUser } from "../cognito/user-ops";
import { AuthError } from "../errors";

/** Verdicts kept per verifier; a token is settled once per recorded logout. */
const MAX_VERDICTS = 1000;

/** Whether Cognito still accepts `token`, asked once per `key`. */
type CognitoVerdict = (token: string, key: string) => Promise<boolean>;

/**
 * Cognito's word, through `cognito`, on the tokens that `iat` alone cannot
 * place before or after a global logout (issued within its second): GetUser
 * refuses revoked access tokens. Held by one Verifier. Concurrent callers
 * share one call; an outage is not remembered (it throws `upstream_unavailable`).
 */
export function cognitoVerdicts(cognito: Cognito): CognitoVerdict {
  const verdicts = new Map<string, Promise<boolean>>();
  return (token, key) => {
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = getUser(cognito, token).then(
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
  };
}
