import { describe, expect, it } from "vitest";
import committed from "../../public/openapi.json";
import { version } from "../../package.json";
import { createApp } from "../app";
import { ERRORS } from "../errors";
import { errorCodesOf, openApiDocument, openApiPath, operations } from "./document";

/** Method and path of every handler the app answers with (middleware registered with use() is "ALL"). */
function appRoutes(): string[] {
  const routes = createApp().routes.filter((r) => r.method !== "ALL");
  return [...new Set(routes.map((r) => `${r.method} ${openApiPath(r.path)}`))].sort();
}

function documentRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe("OpenAPI document", () => {
  it("names every route the app has, and no route it does not have", () => {
    const doc = openApiDocument(version) as { paths: Record<string, Record<string, unknown>> };
    expect(documentRoutes(doc)).toEqual(appRoutes());
  });

  it("is what public/openapi.json holds (npm run openapi writes it)", () => {
    expect(committed).toEqual(openApiDocument(version));
  });

  it("lists each route's error codes under their status, with the step-up challenge where it applies", () => {
    const doc = openApiDocument(version) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: object }> }>>;
    };
    for (const op of operations) {
      const responses = doc.paths[openApiPath(op.path)][op.method].responses;
      for (const code of errorCodesOf(op)) {
        const status = String(op.statusOf?.[code] ?? ERRORS[code][0]);
        const schema = responses[status]?.content?.["application/problem+json"]?.schema;
        expect(JSON.stringify(schema), `${op.id} ${code}`).toContain(`"${code}"`);
      }
    }
    const deleteMe = doc.paths["/auth/me"].delete.responses["401"];
    expect(JSON.stringify(deleteMe.content)).toContain("reauthentication_required");
    expect(deleteMe.headers).toHaveProperty("WWW-Authenticate");
    expect(JSON.stringify(doc.paths["/auth/me"].get.responses["401"].content)).not.toContain("reauthentication_required");
  });
});
