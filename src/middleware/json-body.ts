import { zValidator } from "@hono/zod-validator";
import { createMiddleware } from "hono/factory";
import type * as z from "zod/mini";
import { AuthError, type FieldError } from "../errors";
import type { AppEnv } from "../types";

/** docs/API.md: request bodies are at most 16 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

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
 * Reads a JSON body: 413 over the limit, 415 when it is not application/json,
 * 400 `invalid_json` when it does not parse. With `optional`, a request with
 * no body counts as `{}`. The parsed value is handed to the validator.
 */
export const readJson = (options: { optional?: boolean } = {}) =>
  createMiddleware<AppEnv>(async function readJson(c, next) {
    const length = c.req.header("Content-Length");
    if (length !== undefined && Number(length) > MAX_BODY_BYTES) throw tooLarge();
    const hasBody = c.req.raw.body !== null && length !== "0";
    if (!hasBody && options.optional) {
      c.req.bodyCache.json = Promise.resolve({});
      return next();
    }
    const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
    if (mediaType !== "application/json") {
      throw new AuthError("unsupported_media_type");
    }
    let value: unknown;
    try {
      value = JSON.parse(c.req.raw.body ? await readLimited(c.req.raw.body) : "");
    } catch (err) {
      if (err instanceof AuthError) throw err;
      throw new AuthError("invalid_json");
    }
    c.req.bodyCache.json = Promise.resolve(value);
    await next();
  });

const TYPE_NAMES: Record<string, string> = {
  invalid_type: "has the wrong type or is missing",
  too_small: "is too short",
  too_big: "is too long",
  invalid_format: "has an invalid format",
  invalid_value: "is not an allowed value",
};

/** Zod issues -> `errors` of a validation problem; never echoes the input value. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...path, key].join("."), message: "is not an allowed field" }));
    }
    const name = path.join(".") || "body";
    const message = issue.code === "custom" ? issue.message : TYPE_NAMES[issue.code] ?? "is not valid";
    return [{ path: name, message }];
  });
}

/** Validates a part of the request with a zod schema; failures are 400 `validation_failed`. */
export function validate<T extends z.ZodMiniType, Target extends "json" | "query" | "param">(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new AuthError("validation_failed", { errors: fieldErrors(result.error.issues) });
    }
  });
}
