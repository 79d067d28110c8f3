import type { AdminUser, Profile } from "./answers";
import type { CognitoUser } from "./cognito/schemas";
import type { Config } from "./config";
import { AuthError } from "./errors";
import type { AccessClaims } from "./tokens/claims";

// A user as the API shows it (GET /auth/me, /admin/users), and what a client may change of it.

/**
 * The attributes users may write by default: OIDC's standard profile claims
 * that Cognito lets a user set. Anything else (custom:*, for example) must be
 * listed in WRITABLE_ATTRIBUTES, so no client can grant itself a role.
 */
export const DEFAULT_WRITABLE = [
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "address",
  "phone_number",
  "email",
];

/** Attributes surfaced as top-level fields of the profile. */
const TOP_LEVEL = new Set(["sub", "email", "email_verified", "name"]);

/** GET /auth/me's body: the user's attributes, with the groups of the caller's access token. */
export function toProfile(user: CognitoUser, claims: AccessClaims): Profile {
  const all = user.attributes;
  return {
    sub: all.sub ?? claims.sub,
    username: user.username,
    email: all.email ?? "",
    emailVerified: all.email_verified === "true",
    name: all.name,
    groups: claims.groups,
    attributes: Object.fromEntries(Object.entries(all).filter(([name]) => !TOP_LEVEL.has(name))),
  };
}

/** docs/API.md's admin view of a user. */
export function toAdminUser(user: CognitoUser, groups?: string[]): AdminUser {
  const { attributes } = user;
  return {
    username: user.username,
    sub: attributes.sub ?? user.username,
    email: attributes.email ?? "",
    emailVerified: attributes.email_verified === "true",
    enabled: user.enabled ?? true,
    status: user.status ?? "UNKNOWN",
    attributes,
    groups,
    createdAt: user.createdAt ? new Date(user.createdAt * 1000).toISOString() : undefined,
  };
}

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
