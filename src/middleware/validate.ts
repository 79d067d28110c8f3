import { zValidator } from "@hono/zod-validator";
import type * as z from "zod/mini";
import { AuthError, type FieldError } from "../errors";

const TYPE_NAMES: Record<string, string> = {
  invalid_type: "has the wrong type or is missing",
  too_small: "is too short",
  too_big: "is too long",
  invalid_format: "has an invalid format",
  invalid_value: "is not an allowed value",
};

/** Zod issues -> `errors` of a validation problem; never echoes the input value. */
function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
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

/** 400 `validation_failed`, naming each field that failed its schema. */
export const invalidInput = (issues: readonly z.core.$ZodIssue[]) =>
  new AuthError("validation_failed", { errors: fieldErrors(issues) });

/** Validates the query or the path parameters with a zod schema; failures are 400 `validation_failed`. */
export function validate<T extends z.ZodMiniType, Target extends "query" | "param">(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalidInput(result.error.issues);
  });
}
