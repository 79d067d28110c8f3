import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { Cognito } from "../cognito/client";
import { userContextData } from "../cognito/user-context";
import type { AppEnv } from "../types";

/** One client per parsed Config, which configFor keeps for the life of the env. */
const clients = new WeakMap<object, Cognito>();

/**
 * Puts this request's Cognito client on the context: it traces into the
 * request's log line and carries the user's context. Needs withConfig first.
 */
export const withCognito = () =>
  createMiddleware<AppEnv>(async function withCognito(c, next) {
    cognitoOf(c);
    await next();
  });

/** This request's Cognito client, put on the context on first use (the gateway's session refresh needs one too). */
export function cognitoOf(c: Context<AppEnv>): Cognito {
  if (c.var.cognito) return c.var.cognito;
  const config = c.var.config;
  let cognito = clients.get(config);
  if (!cognito) {
    cognito = new Cognito(config);
    clients.set(config, cognito);
  }
  const own = cognito.forRequest(c.var.trace, userContextData(c.req.raw.headers, config.sendUserIp));
  c.set("cognito", own);
  return own;
}
