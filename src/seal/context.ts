import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Config } from "../config";
import { AuthError } from "../errors";
import { log } from "../log";
import type { AppEnv } from "../types";
import type { EdgeKeys } from "./keys";
import { type OpenedSession, openSession, type SessionStep, sealSession } from "./session";

/** Configurations whose missing EDGE_SECRET was logged: once per isolate, as the other configuration errors. */
const logged = new WeakSet<Config>();

/**
 * The Worker's keys; without EDGE_SECRET a 500, logged once naming the
 * variable. Only the routes that seal need it: a library user verifying
 * tokens without it is not told of an error that is none.
 */
export function keysOf(config: Config): EdgeKeys {
  const keys = config.keys;
  if (keys) return keys;
  if (!logged.has(config)) {
    logged.add(config);
    log("error", "config_invalid", { variables: ["EDGE_SECRET"] });
  }
  throw new AuthError("internal_error", { cause: { reason: "config", variables: "EDGE_SECRET" } });
}

/** Routes that seal or open anything need the Worker's secret: without it they all answer 500, not some. */
export const requireKeys = () =>
  createMiddleware<AppEnv>(async function requireKeys(c, next) {
    keysOf(c.var.config);
    await next();
  });

/** Seals Cognito's `session` (none: a decoy) for `step` of `username` (see seal/session.ts), bound to the configured app client. */
export const sealFor = (config: Config, step: SessionStep, username: string, session?: string): Promise<string> =>
  sealSession(keysOf(config), config.clientId, { step, username, cognito: session });

/** Opens a session this Worker sealed for `step` of `username`; undefined for any other. */
export const openFor = (c: Context<AppEnv>, sealed: string, step: SessionStep, username: string): Promise<OpenedSession | undefined> =>
  openSession(keysOf(c.var.config), c.var.config.clientId, sealed, { step, username });
