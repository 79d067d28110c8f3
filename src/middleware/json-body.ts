import type { MiddlewareHandler } from "hono";
import type * as z from "zod/mini";
import { AuthError } from "../errors";
import type { AppEnv } from "../types";
import { invalidInput } from "./validate";

/** docs/API.md: request bodies are at most 16 KiB. */
const MAX_BODY_BYTES = 16 * 1024;

const tooLarge = () => new AuthError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes.`);

async function readLimited(body: ReadableStream<Uint8Array>): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
}

/**
 * The request's JSON body: 413 over the limit, 415 when it is not
 * application/json, 400 `invalid_json` when it does not parse. With
 * `optional`, a request with no body counts as `{}`.
 */
async function readJson(req: Request, optional?: boolean): Promise<unknown> {
  const length = req.headers.get("Content-Length");
  if (length !== null && Number(length) > MAX_BODY_BYTES) throw tooLarge();
  if (optional && (req.body === null || length === "0")) return {};
  const mediaType = (req.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new AuthError("unsupported_media_type");
  }
  try {
    return JSON.parse(req.body ? await readLimited(req.body) : "");
  } catch (err) {
    if (err instanceof AuthError) throw err;
    throw new AuthError("invalid_json");
  }
}

/**
 * Reads the JSON body (see readJson) and validates it with a zod schema
 * (400 `validation_failed`); the result is `c.req.valid("json")`.
 */
export function jsonBody<T extends z.ZodMiniType<object>, P extends string = string>(
  schema: T,
  options: { optional?: boolean } = {},
): MiddlewareHandler<AppEnv, P, { in: { json: z.input<T> }; out: { json: z.output<T> } }> {
  return async function jsonBody(c, next) {
    const result = await schema.safeParseAsync(await readJson(c.req.raw, options.optional));
    if (!result.success) throw invalidInput(result.error.issues);
    c.req.addValidatedData("json", result.data);
    await next();
  };
}
