import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import type { AdminUserPage } from "../answers";
import {
  adminCreateUser,
  adminGetUser,
  adminGroupMembership,
  adminListGroups,
  adminUserAction,
  listUsers,
  type UserAction,
} from "../cognito/admin-ops";
import { AuthError } from "../errors";
import { jsonBody } from "../middleware/json-body";
import { limitPerUser } from "../middleware/limits";
import { validate } from "../middleware/validate";
import { adminEndSessions } from "../session/end";
import { noStore } from "../middleware/no-store";
import { authorize } from "../middleware/require-auth";
import { requireRecentSignIn } from "../middleware/step-up";
import { toAdminUser } from "../profile";
import { AdminCreateBody, Email } from "../schemas";
import type { AppEnv } from "../types";

export const ListQuery = z.lazy(() => z.strictObject({
  limit: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,2}$/)), z.transform(Number))),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
  email: z.optional(Email),
}));
const Param = z.lazy(() => z.string().check(z.regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u)));
export const UserParams = z.lazy(() => z.object({ username: Param }));
export const GroupParams = z.lazy(() => z.object({ username: Param, group: Param }));

/** 503 until AWS credentials are configured, then the ADMIN_GROUP guard. */
const adminOnly = () =>
  createMiddleware<AppEnv>(async function adminOnly(c, next) {
    if (!c.var.config.aws) {
      throw new AuthError("upstream_unavailable", "Admin access is not configured.", { headers: { "Retry-After": "3600" } });
    }
    c.set("auth", await authorize(c, { groups: [c.var.config.adminGroup] }));
    await next();
  });

const action = (op: UserAction) =>
  [
    requireRecentSignIn(),
    validate("param", UserParams),
    limitPerUser(),
    async (c: Context<AppEnv>) => {
      const username = c.req.param("username") ?? "";
      // Actions that end the user's sessions are also recorded at the edge (REVOCATIONS).
      if (op === "AdminEnableUser") await adminUserAction(c.var.cognito, op, username);
      else await adminEndSessions(c, op, username);
      return c.body(null, 204);
    },
  ] as const;

/**
 * Built by createApp on the first request, not at module load (startup CPU).
 * Every change needs a recent sign-in (step-up): it acts with the Worker's
 * IAM credentials, so Cognito never looks at the caller's token, and the new
 * access tokens of a stolen admin refresh token would otherwise suffice.
 */
export const adminRoutes = () =>
  new Hono<AppEnv>()
  .use(adminOnly(), noStore())
  .get("/users", validate("query", ListQuery), limitPerUser(), async (c) => {
    const { limit, cursor, email } = c.req.valid("query");
    const page = await listUsers(c.var.cognito, Math.min(Math.max(limit ?? 20, 1), 60), cursor, email);
    return c.json({ users: page.Users.map((u) => toAdminUser(u)), cursor: page.PaginationToken } satisfies AdminUserPage, 200);
  })
  .post("/users", requireRecentSignIn(), jsonBody(AdminCreateBody), limitPerUser(), async (c) => {
    const { email, name, temporaryPassword, attributes } = c.req.valid("json");
    const user = await adminCreateUser(c.var.cognito, email, { ...attributes, ...(name ? { name } : {}) }, temporaryPassword);
    return c.json(toAdminUser(user, []), 201);
  })
  .get("/users/:username", validate("param", UserParams), limitPerUser(), async (c) => {
    const user = await adminGetUser(c.var.cognito, c.req.valid("param").username);
    // Groups by Cognito username: the email alias is resolved by AdminGetUser first.
    return c.json(toAdminUser(user, await adminListGroups(c.var.cognito, user.username)), 200);
  })
  .post("/users/:username/disable", ...action("AdminDisableUser"))
  .post("/users/:username/enable", ...action("AdminEnableUser"))
  .post("/users/:username/sign-out", ...action("AdminUserGlobalSignOut"))
  .delete("/users/:username", ...action("AdminDeleteUser"))
  .put("/users/:username/groups/:group", requireRecentSignIn(), validate("param", GroupParams), limitPerUser(), async (c) => {
    const { username, group } = c.req.valid("param");
    await adminGroupMembership(c.var.cognito, true, username, group);
    return c.body(null, 204);
  })
  .delete("/users/:username/groups/:group", requireRecentSignIn(), validate("param", GroupParams), limitPerUser(), async (c) => {
    const { username, group } = c.req.valid("param");
    await adminGroupMembership(c.var.cognito, false, username, group);
    // Access tokens carry the groups: the privilege is gone only when the tokens that hold it are.
    await adminEndSessions(c, "AdminUserGlobalSignOut", username);
    return c.body(null, 204);
  });
