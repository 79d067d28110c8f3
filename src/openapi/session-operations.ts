import { SessionList } from "../answers";
import { SessionParams } from "../routes/sessions";
import type { Operation } from "./operation";

const SESSIONS = "Sessions";

/** /auth/sessions: the caller's sessions (needs the SESSIONS binding). */
export const sessionOperations: Operation[] = [
  {
    id: "listSessions",
    method: "get",
    path: "/auth/sessions",
    tag: SESSIONS,
    summary: "List the user's sessions",
    description:
      "Every session of the caller (a sign-in and every refresh of it), most recently used first: device (User-Agent), country, when it signed in and was last refreshed, and which one is the caller's (`current`). 404 when the Worker has no SESSIONS binding.",
    bearer: true,
    answers: { 200: { description: "The sessions", schema: SessionList } },
    errors: ["not_found"],
    cognito: false,
    limited: true,
  },
  {
    id: "endSession",
    method: "delete",
    path: "/auth/sessions/:id",
    tag: SESSIONS,
    summary: "End one session",
    description:
      "Ends the session on every device that holds it: RevokeToken of its refresh token at Cognito (which also ends its access tokens there), its access tokens refused at the edge when REVOCATIONS is bound, and a refresh of any of its refresh tokens refused with 401 `invalid_refresh_token`. 404 for an id that is not one of the caller's sessions, unknown or another user's alike. Without a bearer token (a cookie), only from an allowed `Origin` (403 `forbidden`).",
    bearer: true,
    params: SessionParams,
    answers: { 204: { description: "Ended" } },
    errors: ["not_found", "forbidden"],
    cognito: false,
    limited: true,
  },
];
