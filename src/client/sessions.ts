import type { SessionList } from "../answers";
import { type Done, type Json, segment } from "./admin";

/** The user's sessions (the Worker needs the SESSIONS binding): list them, end one by its id. */
export function sessionApi(json: Json, done: Done) {
  return {
    list: () => json<SessionList>("GET", "/auth/sessions"),
    end: (id: string) => done("DELETE", `/auth/sessions/${segment(id)}`),
  };
}
