import type * as z from "zod/mini";
import type { ErrorCode } from "../errors";

/** A success answer of an operation: a body schema (several when the answer is one of them), or none. */
export interface Answer {
  description: string;
  schema?: z.ZodMiniType | z.ZodMiniType[];
  /** Headers this answer carries besides X-Request-Id (names of components.headers). */
  headers?: string[];
}

/**
 * One route of the Worker, as the OpenAPI document describes it. Request
 * schemas are the ones the route validates with; answer schemas are those of
 * src/answers.ts, whose types the route's answers satisfy.
 */
export interface Operation {
  /** operationId: the method name client generators give it. */
  id: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Hono's path syntax (`/admin/users/:username`), as app.routes lists it. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Needs a Cognito access token; `admin`: of a member of ADMIN_GROUP. */
  bearer?: true | "admin";
  /** RFC 9470 step-up: always, or only for some bodies (the text says which). */
  stepUp?: true | string;
  /** Reads the refresh token from the `__Host-refresh` cookie when the body has none. */
  refreshCookie?: true;
  body?: z.ZodMiniType;
  /** The body may be left out (counts as `{}`). */
  optionalBody?: true;
  query?: z.ZodMiniType;
  params?: z.ZodMiniType;
  answers: Record<number, Answer>;
  /** Error codes of this route beyond those its traits imply (see document.ts). */
  errors?: ErrorCode[];
  /** Codes this route answers with another status than the code's usual one. */
  statusOf?: Partial<Record<ErrorCode, number>>;
  /** False for routes that never call Cognito (no upstream or throttling errors from it). */
  cognito?: false;
  /** Counted by the abuse limits (429). */
  limited?: true;
}
