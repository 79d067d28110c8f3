import { AdminUser, AdminUserPage } from "../answers";
import { GroupParams, ListQuery, UserParams } from "../routes/admin";
import { AdminCreateBody } from "../schemas";
import type { Operation } from "./operation";

const ADMIN = "Admin";

/** A route on one user that answers 204. */
const userAction = (id: string, method: "post" | "delete", path: string, summary: string): Operation => ({
  id,
  method,
  path,
  tag: ADMIN,
  summary,
  bearer: "admin",
  params: UserParams,
  answers: { 204: { description: "Done" } },
  errors: ["not_found"],
  stepUp: true,
});

/** Every route under /admin: members of ADMIN_GROUP, 503 until admin credentials are configured; every change is a step-up route. */
export const adminOperations: Operation[] = [
  {
    id: "listUsers",
    method: "get",
    path: "/admin/users",
    tag: ADMIN,
    summary: "List users, a page at a time",
    description: "`limit` is clamped to 1–60 (default 20); pass `cursor` back for the next page; `email` finds one user.",
    bearer: "admin",
    query: ListQuery,
    answers: { 200: { description: "A page of users (no `groups`)", schema: AdminUserPage } },
  },
  {
    id: "createUser",
    method: "post",
    path: "/admin/users",
    tag: ADMIN,
    summary: "Create a user; Cognito emails a temporary password",
    description: "The first sign-in answers NEW_PASSWORD_REQUIRED.",
    bearer: "admin",
    body: AdminCreateBody,
    answers: { 201: { description: "Created (`groups: []`)", schema: AdminUser } },
    errors: ["user_already_exists", "weak_password"],
    stepUp: true,
  },
  {
    id: "getUser",
    method: "get",
    path: "/admin/users/:username",
    tag: ADMIN,
    summary: "One user, with groups",
    description: "`username` is the email or Cognito's username.",
    bearer: "admin",
    params: UserParams,
    answers: { 200: { description: "The user", schema: AdminUser } },
    errors: ["not_found"],
  },
  userAction("disableUser", "post", "/admin/users/:username/disable", "Disable a user and end every session"),
  userAction("enableUser", "post", "/admin/users/:username/enable", "Enable a user"),
  userAction("signOutUser", "post", "/admin/users/:username/sign-out", "End every session of a user"),
  userAction("deleteUser", "delete", "/admin/users/:username", "Delete a user and end every session"),
  {
    id: "addUserToGroup",
    method: "put",
    path: "/admin/users/:username/groups/:group",
    tag: ADMIN,
    summary: "Add a user to a group",
    bearer: "admin",
    params: GroupParams,
    answers: { 204: { description: "Done" } },
    errors: ["not_found"],
    stepUp: true,
  },
  {
    id: "removeUserFromGroup",
    method: "delete",
    path: "/admin/users/:username/groups/:group",
    tag: ADMIN,
    summary: "Remove a user from a group",
    bearer: "admin",
    params: GroupParams,
    answers: { 204: { description: "Done" } },
    errors: ["not_found"],
    stepUp: true,
  },
];
