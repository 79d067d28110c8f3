import { createMiddleware } from "hono/factory";
import { Cognito } from "../cognito/client";
import { userContextData } from "../cognito/user-context";
import { configFor } from "../config";
import { internalError } from "../errors";
import type { AppEnv } from "../types";

const clients = new WeakMap<object, Cognito>();

/**
 * Puts the parsed Config and this request's Cognito client on the context (it
 * traces into the request's log and carries the user's context); a bad config is a 500.
 */
export const withConfig = () =>
  createMiddleware<AppEnv>(async function withConfig(c, next) {
    let config;
    try {
      config = configFor(c.env);
    } catch (err) {
      throw internalError(err);
    }
    let cognito = clients.get(config);
    if (!cognito) {
      cognito = new Cognito(config);
      clients.set(config, cognito);
    }
    c.set("config", config);
    c.set("cognito", cognito.forRequest(c.var.trace, userContextData(c.req.raw.headers, config.sendUserIp)));
    await next();
  });
