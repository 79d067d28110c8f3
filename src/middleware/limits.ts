import { createMiddleware } from "hono/factory";
import { type IpAction, limitIp, limitUser } from "../limits/enforce";
import type { AppEnv } from "../types";

/** Per client IP, after the request's schema and before Cognito (docs/API.md, *Abuse limits*). */
export const limitPerIp = (action: IpAction) =>
  createMiddleware<AppEnv>(async function limitPerIp(c, next) {
    await limitIp(c, action);
    await next();
  });

/** Per signed-in user, for bearer routes that call Cognito on every request; after requireAuth and the request's schema. */
export const limitPerUser = () =>
  createMiddleware<AppEnv>(async function limitPerUser(c, next) {
    await limitUser(c);
    await next();
  });
