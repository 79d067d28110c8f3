import type { AdminUser, AdminUserPage } from "../answers";
import type { Input } from "./types";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** A bearer call answering JSON, and one answering 204. */
export type Json = <T>(method: Method, path: string, body?: unknown) => Promise<T>;
export type Done = (method: Method, path: string, body?: unknown) => Promise<void>;

export const segment = encodeURIComponent;

/** User administration (members of ADMIN_GROUP), over the client's bearer calls. */
export function adminApi(json: Json, done: Done) {
  return {
    listUsers: (query: { limit?: number; cursor?: string; email?: string } = {}) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      const search = params.toString() ? `?${params}` : "";
      return json<AdminUserPage>("GET", `/admin/users${search}`);
    },
    getUser: (username: string) => json<AdminUser>("GET", `/admin/users/${segment(username)}`),
    createUser: (body: Input<"AdminCreateBody">) => json<AdminUser>("POST", "/admin/users", body),
    disableUser: (username: string) => done("POST", `/admin/users/${segment(username)}/disable`),
    enableUser: (username: string) => done("POST", `/admin/users/${segment(username)}/enable`),
    signOutUser: (username: string) => done("POST", `/admin/users/${segment(username)}/sign-out`),
    deleteUser: (username: string) => done("DELETE", `/admin/users/${segment(username)}`),
    addToGroup: (username: string, group: string) => done("PUT", `/admin/users/${segment(username)}/groups/${segment(group)}`),
    removeFromGroup: (username: string, group: string) => done("DELETE", `/admin/users/${segment(username)}/groups/${segment(group)}`),
  };
}
