import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import type { SessionList, UserSession } from "../answers";
import { AuthError, internalError } from "../errors";
import { limitPerUser } from "../middleware/limits";
import { noStore } from "../middleware/no-store";
import { requireAuth } from "../middleware/require-auth";
import { validate } from "../middleware/validate";
import { assertAllowedOrigin } from "../session/csrf";
import { SID } from "../session/refresh-token";
import { endAtCognito, registryOf } from "../sessions/hooks";
import type { SessionEntry } from "../sessions/registry";
import { sessionSettings } from "../sessions/settings";
import type { AppEnv } from "../types";

export const SessionParams = z.lazy(() => z.strictObject({ id: z.string().check(z.regex(SID)) }));

/** Without SESSIONS the routes are not there (404); with a malformed SESSION_LIMIT they answer 500, naming it in the log once. */
const sessionsOn = () =>
  createMiddleware<AppEnv>(async function sessionsOn(c, next) {
    if (!c.env.SESSIONS) throw new AuthError("not_found");
    try {
      sessionSettings(c.env);
    } catch (err) {
      throw internalError(err);
    }
    await next();
  });

/** An unsafe request without a bearer token authenticates with a cookie: only from an allowed origin (CSRF). */
const refuseCrossSite = () =>
  createMiddleware<AppEnv>(async function refuseCrossSite(c, next) {
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.header("Authorization") === undefined) assertAllowedOrigin(c);
    await next();
  });

/** The caller's registry: the one of the verified token's `sub`, so no other user's sessions are in reach. */
function registry(c: Context<AppEnv>) {
  const found = registryOf(c, c.var.auth.claims.sub);
  if (!found) throw new AuthError("not_found");
  return found;
}

/** docs/API.md's view of a session; `current` when the caller's access token is one the session was issued. */
function toSession(entry: Omit<SessionEntry, "sealed">, callerToken: string | undefined): UserSession {
  return {
    id: entry.sid,
    device: entry.device,
    ...(entry.country ? { country: entry.country } : {}),
    createdAt: new Date(entry.createdAt).toISOString(),
    lastUsedAt: new Date(entry.lastUsedAt).toISOString(),
    current: callerToken !== undefined && entry.tokens.some((t) => t.id === callerToken),
  };
}

/** Built by createApp on the first request, not at module load (startup CPU). */
export const sessionRoutes = () =>
  new Hono<AppEnv>()
    .use(sessionsOn(), refuseCrossSite(), requireAuth(), noStore())
    .get("/", limitPerUser(), async (c) => {
      const { originJti, jti } = c.var.auth.claims;
      const entries = await registry(c).list();
      return c.json({ sessions: entries.map((entry) => toSession(entry, originJti ?? jti)) } satisfies SessionList, 200);
    })
    .delete("/:id", validate("param", SessionParams), limitPerUser(), async (c) => {
      const ended = await registry(c).end(c.req.valid("param").id);
      // Not one of the caller's: another user's id is just as unknown here.
      if (!ended) throw new AuthError("not_found");
      await endAtCognito(c, ended);
      return c.body(null, 204);
    });
