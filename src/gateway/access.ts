import { AuthError } from "../errors";
import { REALM } from "../middleware/require-auth";
import type { AccessClaims } from "../tokens/claims";
import type { Rule } from "./rule-syntax";

/**
 * A verified caller against the rule of its path (none: today's default, any
 * user of COGNITO_CLIENT_ID): 403 `forbidden` for a client the rule does not
 * list, a missing scope (with RFC 6750 §3.1's `insufficient_scope` challenge
 * naming the scopes the rule needs) or a missing group.
 */
export function checkAccess(rule: Rule | undefined, claims: AccessClaims, clientId: string): void {
  if (!(rule?.clients ?? [clientId]).includes(claims.clientId)) {
    throw new AuthError("forbidden", "This client may not call this path.", { cause: { reason: "client not listed" } });
  }
  if (!rule) return;
  if (rule.scopes.some((scope) => !claims.scope.includes(scope))) {
    throw new AuthError("forbidden", "The access token lacks a required scope.", {
      headers: { "WWW-Authenticate": `Bearer realm="${REALM}", error="insufficient_scope", scope="${rule.scopes.join(" ")}"` },
      cause: { reason: "scope" },
    });
  }
  if (rule.groups.some((group) => !claims.groups.includes(group))) {
    throw new AuthError("forbidden", "The caller lacks a required group.", { cause: { reason: "group" } });
  }
}
