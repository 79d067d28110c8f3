import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../types";

const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Echoes a valid inbound X-Request-Id, else makes one; set on every response. */
export const requestId = () =>
  createMiddleware<AppEnv>(async function requestId(c, next) {
    const inbound = c.req.header("X-Request-Id");
    const id = inbound && VALID_ID.test(inbound) ? inbound : crypto.randomUUID();
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
    if (c.res.headers.get("X-Request-Id") !== id) {
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set("X-Request-Id", id);
    }
  });
