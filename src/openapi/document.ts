import * as z from "zod/mini";
import * as answers from "../answers";
import { ERRORS, type ErrorCode } from "../errors";
import { REALM } from "../middleware/require-auth";
import { REFRESH_COOKIE } from "../session/refresh-cookie";
import { adminOperations } from "./admin-operations";
import { authOperations } from "./auth-operations";
import type { Answer, Operation } from "./operation";
import { passkeyOperations } from "./passkey-operations";
import { requestSchemas } from "./request-schemas";
import { sessionOperations } from "./session-operations";

/** Every route of the Worker, in the order the document lists them. */
export const operations: Operation[] = [...authOperations, ...passkeyOperations, ...sessionOperations, ...adminOperations];

type Json = Record<string, unknown>;

const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
const REASON: Record<number, string> = {
  400: "The request is not valid",
  401: "Not authenticated",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Body too large",
  415: "Body is not JSON",
  429: "Too many requests; retry after Retry-After seconds",
  500: "Internal error",
  503: "Unavailable; retry after Retry-After seconds",
};
const STEP_UP_CHALLENGE = `Bearer realm="${REALM}", error="insufficient_user_authentication", max_age=<REAUTH_MAX_AGE_S>`;

/** Converts a set of named zod schemas into OpenAPI components, shared sub-schemas by $ref. */
function componentsOf(named: Record<string, z.ZodMiniType>, io: "input" | "output", descriptions: Record<string, string> = {}) {
  const registry = z.registry<{ id: string; description?: string }>();
  for (const [id, schema] of Object.entries(named)) {
    if (!registry.has(schema)) registry.add(schema, { id, description: descriptions[id] });
  }
  const { schemas } = z.toJSONSchema(registry, { io, metadata: registry, unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]),
  );
}

/** `/admin/users/:username` -> `/admin/users/{username}` */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

/** The components name a zod schema was registered under. */
function refTo(schema: z.ZodMiniType, names: Map<z.ZodMiniType, string>): Json {
  const name = names.get(schema);
  if (!name) throw new Error("an operation uses a schema that is not a component");
  return { $ref: `#/components/schemas/${name}` };
}

/** Query or path parameters from a zod object schema. */
function parametersOf(schema: z.ZodMiniType, where: "query" | "path"): Json[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** The error codes a route can answer: its own, and those its traits imply. */
export function errorCodesOf(op: Operation): ErrorCode[] {
  const codes = new Set<ErrorCode>(op.errors);
  if (op.body || op.query || op.params) codes.add("validation_failed");
  if (op.body) for (const code of ["invalid_json", "unsupported_media_type", "payload_too_large"] as const) codes.add(code);
  // A bearer route may find the JWKS unreachable (503); an admin route answers 503 until credentials are configured.
  if (op.bearer) for (const code of ["unauthorized", "token_expired", "upstream_unavailable"] as const) codes.add(code);
  if (op.bearer === "admin") codes.add("forbidden");
  if (op.stepUp) codes.add("reauthentication_required");
  if (op.limited) codes.add("too_many_requests");
  // What any Cognito call can answer (src/cognito/errors.ts): refused input, WAF, throttling, outage.
  if (op.cognito !== false) for (const code of ["validation_failed", "forbidden", "too_many_requests", "upstream_unavailable"] as const) codes.add(code);
  codes.add("internal_error");
  return ERROR_CODES.filter((code) => codes.has(code));
}

function errorResponses(op: Operation): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(op)) {
    const status = op.statusOf?.[code] ?? ERRORS[code][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, Json> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Json = {};
    if (status === 401 || (status === 403 && op.bearer)) headers["WWW-Authenticate"] = { $ref: "#/components/headers/WWW-Authenticate" };
    if (status === 429 || status === 503) headers["Retry-After"] = { $ref: "#/components/headers/Retry-After" };
    let description = REASON[status] ?? "Error";
    if (codes.includes("reauthentication_required")) {
      description += `; \`reauthentication_required\` (RFC 9470 step-up) carries \`WWW-Authenticate: ${STEP_UP_CHALLENGE}\`: sign in again and retry`;
    }
    out[status] = {
      description,
      ...(Object.keys(headers).length ? { headers } : {}),
      content: {
        "application/problem+json": {
          schema: { allOf: [{ $ref: "#/components/schemas/Problem" }, { properties: { code: { enum: codes } } }] },
        },
      },
    };
  }
  return out;
}

function successResponse(answer: Answer, names: Map<z.ZodMiniType, string>): Json {
  const response: Json = { description: answer.description };
  if (answer.headers) response.headers = Object.fromEntries(answer.headers.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
  if (answer.schema) {
    const schemas = Array.isArray(answer.schema) ? answer.schema : [answer.schema];
    const refs = schemas.map((s) => refTo(s, names));
    response.content = { "application/json": { schema: refs.length === 1 ? refs[0] : { oneOf: refs } } };
  }
  return response;
}

function securityOf(op: Operation): Json[] {
  if (op.bearer && op.refreshCookie) return [{ bearerAuth: [], refreshCookie: [] }, { bearerAuth: [] }];
  if (op.bearer) return [{ bearerAuth: [] }];
  if (op.refreshCookie) return [{}, { refreshCookie: [] }];
  return [];
}

function operationObject(op: Operation, names: Map<z.ZodMiniType, string>): Json {
  const parameters = [...(op.params ? parametersOf(op.params, "path") : []), ...(op.query ? parametersOf(op.query, "query") : [])];
  let description = op.description ?? "";
  if (op.stepUp) {
    const when = op.stepUp === true ? "" : ` ${op.stepUp}`;
    description += `${description ? "\n\n" : ""}**Step-up** (RFC 9470)${when}: needs a sign-in at most REAUTH_MAX_AGE_S seconds old, else 401 \`reauthentication_required\`.`;
  }
  // Every bearer route calls Cognito on each request (src/middleware/limits.ts): USER_LIMITER counts it.
  if (op.bearer && op.cognito !== false) {
    description += `${description ? "\n\n" : ""}**Per-user limit**: counted per user (the token's \`sub\`, from any IP); over it, 429 before Cognito is called.`;
  }
  const responses: Json = {};
  for (const [status, answer] of Object.entries(op.answers)) responses[status] = successResponse(answer, names);
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    ...(description ? { description } : {}),
    ...(op.stepUp ? { "x-step-up": op.stepUp === true ? "always" : op.stepUp } : {}),
    security: securityOf(op),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: !op.optionalBody, content: { "application/json": { schema: refTo(op.body, names) } } } }
      : {}),
    responses: { ...responses, ...errorResponses(op) },
  };
}

const TAGS = [
  ["Sign-up and sign-in", "Registration, email confirmation, sign-in and its challenges, refresh, sign-out."],
  ["Passwords", "Forgotten and changed passwords; both end every earlier session."],
  ["Profile", "The signed-in user's own profile."],
  ["TOTP", "Authenticator-app MFA."],
  ["Passkeys", "Passkey (WebAuthn) registration, listing and removal; sign-in with a passkey is choice-based sign-in."],
  ["Sessions", "The user's sessions, listed and ended one by one (needs the SESSIONS binding)."],
  ["Hosted UI", "Social sign-in through Cognito's hosted UI (needs COGNITO_DOMAIN)."],
  ["Admin", "User administration for members of ADMIN_GROUP; needs the Worker's AWS credentials."],
  ["Health", "Liveness."],
] as const;

const DESCRIPTION = `An auth layer on Cloudflare Workers in front of an AWS Cognito user pool.

Every error is RFC 9457 problem details (\`application/problem+json\`) with a stable \`code\`; each answer below lists the codes it can carry. Every answer carries \`X-Request-Id\` (an inbound valid one is echoed); every 429 and 503 carries \`Retry-After\`.

**Refresh tokens** are delivered per REFRESH_TOKEN_DELIVERY: in the \`${REFRESH_COOKIE}\` cookie (HttpOnly, Secure, SameSite=Strict; the default), in the body as \`refreshToken\`, or both. A request that authenticates with the cookie must carry an \`Origin\` listed in CORS_ORIGINS or, without an UPSTREAM bound or GATEWAY_RULES set, equal to the Worker's own origin.

**Gateway**: with an UPSTREAM service binding or GATEWAY_RULES, every path outside \`/auth\`, \`/admin\`, \`/health\` and the static assets (\`/openapi.json\`, \`/docs\`, the demo app at \`/\`) is checked against its rule and forwarded with the caller's identity in \`X-Auth-*\` headers (with GATEWAY_SIGNING_KEY also signed, in \`X-Auth-Assertion\`, whose keys are at \`/.well-known/jwks.json\`); those paths are the upstream's and are not described here.`;

/** The OpenAPI 3.1 document of the Worker's HTTP routes, built from the zod schemas that validate and type them. */
export function openApiDocument(version: string): Json {
  const requests = requestSchemas();
  const answerSchemas: Record<string, z.ZodMiniType> = { ...answers, Problem: z.extend(answers.Problem, { code: z.enum(ERROR_CODES) }) };
  const names = new Map<z.ZodMiniType, string>();
  for (const [name, schema] of [...Object.entries(requests.schemas), ...Object.entries(answers)]) names.set(schema, name);
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    paths[path] = { ...paths[path], [op.method]: operationObject(op, names) };
  }
  return {
    openapi: "3.1.0",
    info: { title: "cognito-edge", version, description: DESCRIPTION, license: { name: "MIT", identifier: "MIT" } },
    tags: TAGS.map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: {
        ...componentsOf(requests.schemas, "input", requests.descriptions),
        ...componentsOf(answerSchemas, "output"),
      },
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: `A Cognito access token. A missing or bad token is 401 with \`WWW-Authenticate: Bearer realm="${REALM}"\` (plus \`error="invalid_token"\` when one was sent, RFC 6750); an expired one is \`token_expired\`: refresh and retry.`,
        },
        refreshCookie: {
          type: "apiKey",
          in: "cookie",
          name: REFRESH_COOKIE,
          description: "The refresh token, set by the tokens answers in cookie delivery. Requests that use it need an allowed Origin.",
        },
      },
      headers: {
        "WWW-Authenticate": {
          description: `RFC 6750 / RFC 9470 challenge: \`Bearer realm="${REALM}"\`, with \`error="invalid_token"\`, \`error="insufficient_scope"\` or, for step-up, \`error="insufficient_user_authentication", max_age=<seconds>\`.`,
          schema: { type: "string" },
        },
        "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "string", pattern: "^\\d+$" } },
        "Set-Cookie": { description: `Sets or expires the \`${REFRESH_COOKIE}\` cookie (Path=/; HttpOnly; Secure; SameSite=Strict).`, schema: { type: "string" } },
        Location: { description: "Where the browser goes next.", schema: { type: "string", format: "uri" } },
      },
    },
  };
}
