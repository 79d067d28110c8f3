import type { JWTPayload } from "jose";

type JsonLeaf = string | number | boolean | null;
type JsonNested = JsonLeaf | JsonLeaf[] | { [key: string]: JsonLeaf | JsonLeaf[] };
/**
 * A claim's value, parsed from JSON, typed two levels deep: a recursive JSON
 * type is "excessively deep" for Workers RPC's types (Rpc.Serializable), which
 * drop a result they cannot type. Cognito's access-token claims are strings,
 * numbers and lists of strings.
 */
export type ClaimValue = JsonNested | JsonNested[] | { [key: string]: JsonNested | JsonNested[] };

/** A token's payload: JWT claims whose values are JSON, a shape RPC's types can carry to a caller. */
export type JsonPayload = JWTPayload & { [claim: string]: ClaimValue };

/** The verified claims of a Cognito access token that the Worker uses. */
export interface AccessClaims {
  sub: string;
  username: string;
  clientId: string;
  scope: string[];
  groups: string[];
  jti?: string;
  originJti?: string;
  iat: number;
  exp: number;
  /** When the user signed in (kept by Cognito across refreshes); absent in tokens that lack it. */
  authTime?: number;
  /** Every claim as received, for RPC callers. */
  raw: JsonPayload;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Picks the claims we use; returns undefined when a required one has the wrong type. */
export function readClaims(payload: JsonPayload): AccessClaims | undefined {
  const sub = str(payload.sub);
  const clientId = str(payload.client_id);
  // docs/API.md: `scope` is a string and `cognito:groups`, if present (null included), a list of strings.
  const listed = payload["cognito:groups"] === undefined ? [] : payload["cognito:groups"];
  const groups = Array.isArray(listed) && listed.every((g) => typeof g === "string") ? listed.map(String) : undefined;
  const scope = payload.scope;
  if (!sub || !clientId || typeof payload.exp !== "number" || typeof payload.iat !== "number") return undefined;
  if (!groups) return undefined;
  if (typeof scope !== "string") return undefined;
  return {
    sub,
    username: str(payload.username) ?? sub,
    clientId,
    scope: scope.split(" ").filter(Boolean),
    groups,
    jti: str(payload.jti),
    originJti: str(payload.origin_jti),
    iat: payload.iat,
    exp: payload.exp,
    authTime: typeof payload.auth_time === "number" ? payload.auth_time : undefined,
    raw: payload,
  };
}
