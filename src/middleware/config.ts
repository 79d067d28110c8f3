import { createMiddleware } from "hono/factory";
import { configFor } from "../config";
import { internalError } from "../errors";
import type { AppEnv } from "../types";

/** Puts the env's parsed Config on the context; a bad config is a 500. */
export const withConfig = () =>
  createMiddleware<AppEnv>(async function withConfig(c, next) {
    try {
      c.set("config", configFor(c.env));
    } catch (err) {
      throw internalError(err);
    }
    await next();
  });
