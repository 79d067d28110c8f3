import type { Context } from "hono";
import type { JWTPayload } from "jose";
import { revokeToken } from "../cognito/auth-ops";
import { base64url, fromBase64url } from "../crypto";
import { AuthError } from "../errors";
import { log } from "../log";
import { open, seal } from "../seal/aead";
import { keysOf } from "../seal/context";
import { REFRESH_MAX_AGE_S } from "../session/refresh-cookie";
import { Revocations } from "../tokens/revocations";
import type { AppEnv } from "../types";
import type { SessionEntry, Seen, TokenSeen } from "./registry";
import { MAX_SESSIONS, sessionSettings } from "./settings";

// Where the Worker tells the session registry (registry.ts) what happened:
// a sign-in, a refresh, a logout. Without the SESSIONS binding each is a no-op.
// The registry is the edge's record, Cognito stays the authority: a registry
// that fails is logged and never fails a sign-in.

/** User-Agent characters kept: enough to tell devices apart, bounded for storage. */
const DEVICE_CHARS = 200;
const encoder = new TextEncoder();

/** The registry of user `sub`, when SESSIONS is bound. */
export function registryOf(c: Context<AppEnv>, sub: string) {
  const ns = c.env.SESSIONS;
  return ns?.get(ns.idFromName(sub));
}

/** Cognito's refresh token sealed for the registry, bound to the app client and the session. */
async function sealFor(c: Context<AppEnv>, sid: string, token: string): Promise<string> {
  return base64url(await seal(keysOf(c.var.config), "session-registry", `${c.var.config.clientId}\0${sid}`, encoder.encode(token)));
}

async function openOf(c: Context<AppEnv>, entry: SessionEntry): Promise<string | undefined> {
  if (!entry.sealed) return undefined;
  const opened = await open(keysOf(c.var.config), "session-registry", `${c.var.config.clientId}\0${entry.sid}`, fromBase64url(entry.sealed));
  return opened && new TextDecoder().decode(opened.plaintext);
}

/** The access token's session at the edge (as Revocations keys it) and its life. */
function tokenOf(claims: JWTPayload): TokenSeen | undefined {
  const id = typeof claims.origin_jti === "string" ? claims.origin_jti : claims.jti;
  if (!id || typeof claims.exp !== "number" || typeof claims.iat !== "number") return undefined;
  return { id, lifeS: Math.max(0, claims.exp - claims.iat), expMs: claims.exp * 1000 };
}

async function seenOf(c: Context<AppEnv>, sid: string, claims: JWTPayload, refreshToken: string | undefined): Promise<Seen> {
  const country = c.req.raw.cf?.country;
  return {
    sid,
    device: (c.req.header("User-Agent") ?? "").slice(0, DEVICE_CHARS),
    ...(typeof country === "string" ? { country } : {}),
    ...(refreshToken ? { sealed: await sealFor(c, sid, refreshToken) } : {}),
    token: tokenOf(claims),
    // Cognito's default refresh-token life, from the last use: with rotation a new token lives that long from now.
    expiresAt: Date.now() + REFRESH_MAX_AGE_S * 1000,
  };
}

/** SESSION_LIMIT; malformed (logged once), MAX_SESSIONS. */
function limitOf(c: Context<AppEnv>): number {
  try {
    return sessionSettings(c.env).limit;
  } catch {
    return MAX_SESSIONS;
  }
}

/**
 * Ends a session the registry let go (ended by the user, or past the cap):
 * RevokeToken of its refresh token at Cognito, which also ends the access
 * tokens issued from it, and at the edge its access tokens when REVOCATIONS
 * is bound. Best effort: the registry refuses a refresh of it either way, and
 * only the Worker ever holds Cognito's token.
 */
export async function endAtCognito(c: Context<AppEnv>, entry: SessionEntry): Promise<void> {
  try {
    const token = await openOf(c, entry);
    if (token) await revokeToken(c.var.cognito, token);
  } catch (err) {
    log("warn", "session_revoke_failed", { requestId: c.var.requestId, error: err instanceof AuthError ? err.code : "unknown" });
  }
  if (c.env.REVOCATIONS) {
    const revocations = new Revocations(c.env.REVOCATIONS);
    await Promise.all(entry.tokens.map((t) => revocations.revokeSessionId(t.id, t.lifeS)));
  }
}

const failed = (c: Context<AppEnv>, err: unknown) =>
  log("warn", "session_registry_failed", { requestId: c.var.requestId, error: err instanceof Error ? err.name : "unknown" });

/** A sign-in issued session `sid` with Cognito's `refreshToken`: recorded, and the oldest sessions beyond the cap end. */
export async function signedIn(c: Context<AppEnv>, sid: string, claims: JWTPayload, refreshToken: string): Promise<void> {
  const registry = typeof claims.sub === "string" ? registryOf(c, claims.sub) : undefined;
  if (!registry) return;
  let ended: SessionEntry[];
  try {
    ended = await registry.signedIn(await seenOf(c, sid, claims, refreshToken), limitOf(c));
  } catch (err) {
    return failed(c, err);
  }
  await Promise.all(ended.map((entry) => endAtCognito(c, entry)));
}

/**
 * A refresh of session `sid`: `refreshToken` the one in force after it,
 * `issued` Cognito's new one, if any. When the session was ended (DELETE
 * /auth/sessions/{id}, the cap, logout), the refresh is refused with 401
 * `invalid_refresh_token` and the refresh token Cognito just issued is revoked.
 */
export async function refreshed(c: Context<AppEnv>, sid: string, claims: JWTPayload, refreshToken: string, issued: string | undefined): Promise<void> {
  const registry = typeof claims.sub === "string" ? registryOf(c, claims.sub) : undefined;
  if (!registry) return;
  let out: { ended: boolean; evicted: SessionEntry[] };
  try {
    out = await registry.refreshed(await seenOf(c, sid, claims, refreshToken));
  } catch (err) {
    return failed(c, err);
  }
  if (out.ended) {
    if (issued) await revokeToken(c.var.cognito, issued).catch(() => undefined);
    throw new AuthError("invalid_refresh_token", { cause: { reason: "session ended" } });
  }
  await Promise.all(out.evicted.map((entry) => endAtCognito(c, entry)));
}

/** Logout of session `sid` by user `sub`, which ended it at Cognito: removed from the registry, a refresh of it refused. */
export async function loggedOut(c: Context<AppEnv>, sub: string, sid: string): Promise<void> {
  await registryOf(c, sub)
    ?.end(sid)
    .catch((err: unknown) => failed(c, err));
}

/** Every session of `sub` ended at Cognito (sign out everywhere, credential change, admin action, deletion): removed from the registry. */
export async function loggedOutEverywhere(c: Context<AppEnv>, sub: string): Promise<void> {
  await registryOf(c, sub)
    ?.endAll()
    .catch((err: unknown) => failed(c, err));
}
