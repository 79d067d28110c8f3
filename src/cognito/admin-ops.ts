import * as z from "zod/mini";
import type { Cognito, JsonObject } from "./client";
import { toAttributeList } from "./attributes";
import { assertPasswordType } from "./auth-ops";
import { CognitoUser, parseResponse } from "./schemas";

/** Reads: safe to retry once. */
const READS = new Set(["ListUsers", "AdminGetUser", "AdminListGroupsForUser"]);

/** Admin operations are IAM-authorised: every call is SigV4-signed. */
const admin = (cognito: Cognito, op: string, input: JsonObject) =>
  cognito.call(op, { UserPoolId: cognito.config.userPoolId, ...input }, "admin", { signed: true, retry: READS.has(op) });

const ListUsersResponse = z.lazy(() => z.object({ Users: z.array(CognitoUser), PaginationToken: z.optional(z.string()) }));
const GroupsResponse = z.lazy(() => z.object({ Groups: z.array(z.object({ GroupName: z.string() })) }));
const CreateResponse = z.lazy(() => z.object({ User: CognitoUser }));

/** ListUsers: one page, optionally filtered by exact email. */
export async function listUsers(cognito: Cognito, limit: number, cursor?: string, email?: string) {
  const input: JsonObject = { Limit: limit };
  if (cursor) input.PaginationToken = cursor;
  // The email is validated (no quotes) before it reaches the filter expression.
  if (email) input.Filter = `email = "${email}"`;
  return parseResponse(ListUsersResponse, await admin(cognito, "ListUsers", input), "ListUsers");
}

/** AdminGetUser: by Cognito username or email (an alias in email pools). */
export async function adminGetUser(cognito: Cognito, username: string) {
  return parseResponse(CognitoUser, await admin(cognito, "AdminGetUser", { Username: username }), "AdminGetUser");
}

/** AdminListGroupsForUser: the names of the user's groups. */
export async function adminListGroups(cognito: Cognito, username: string): Promise<string[]> {
  const out = await admin(cognito, "AdminListGroupsForUser", { Username: username, Limit: 60 });
  return parseResponse(GroupsResponse, out, "AdminListGroupsForUser").Groups.map((g) => g.GroupName);
}

/** AdminCreateUser: invites a user by email (Cognito sends the temporary password). */
export async function adminCreateUser(
  cognito: Cognito,
  email: string,
  attributes: Record<string, string>,
  temporaryPassword?: string,
) {
  const input: JsonObject = {
    Username: email,
    UserAttributes: toAttributeList({ ...attributes, email, email_verified: "true" }),
    DesiredDeliveryMediums: ["EMAIL"],
  };
  if (temporaryPassword) {
    assertPasswordType(temporaryPassword);
    input.TemporaryPassword = temporaryPassword;
  }
  return parseResponse(CreateResponse, await admin(cognito, "AdminCreateUser", input), "AdminCreateUser").User;
}

/** The admin operations that take only a username and answer nothing. */
export type UserAction = "AdminDisableUser" | "AdminEnableUser" | "AdminUserGlobalSignOut" | "AdminDeleteUser";

export async function adminUserAction(cognito: Cognito, op: UserAction, username: string): Promise<void> {
  await admin(cognito, op, { Username: username });
}

/** AdminAddUserToGroup / AdminRemoveUserFromGroup. */
export async function adminGroupMembership(cognito: Cognito, add: boolean, username: string, group: string) {
  await admin(cognito, add ? "AdminAddUserToGroup" : "AdminRemoveUserFromGroup", { Username: username, GroupName: group });
}
