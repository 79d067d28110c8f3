// Runs in Node: the generated files of public/ against their sources, and the
// OpenAPI document against the OpenAPI 3.1 schema.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { generatedFiles } from "../../scripts/public.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const committed = (path: string) => readFileSync(resolve(ROOT, path), "utf8");

describe("public/", () => {
  it("holds the generated files as `npm run public` makes them (run it after changing their sources)", async () => {
    for (const [path, text] of Object.entries(await generatedFiles())) {
      expect(committed(path), `${path} is out of date: npm run public`).toBe(text);
    }
  });

  it("serves an OpenAPI document that validates as OpenAPI 3.1, every $ref resolving", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(committed("public/openapi.json")));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
  });
});
