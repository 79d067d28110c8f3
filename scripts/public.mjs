// The generated files of public/ (the Worker's static assets), committed so
// that nobody needs a build step to serve them; test/node/public.test.ts fails
// when one is out of date.
//
//   npm run openapi [-- FILE]   public/openapi.json (or FILE), for client generators
//   npm run public              every generated file of public/
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "..");

async function bundle(options) {
  const out = await build({ bundle: true, write: false, format: "esm", target: "es2022", logLevel: "warning", ...options });
  return out.outputFiles[0].text;
}

/** JSON with two-space indentation, but arrays and objects that fit on one line kept on it. */
export function formatJson(value, indent = "") {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== "object" || indent.length + flat.length <= 100) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`);
  return `{\n${entries.join(",\n")}\n${indent}}`;
}

/** The OpenAPI document, built from the zod schemas by src/openapi/document.ts. */
export async function openApiJson() {
  const code = await bundle({ entryPoints: [resolve(ROOT, "src/openapi/document.ts")], platform: "node" });
  const { openApiDocument } = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  const { version } = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8"));
  return `${formatJson(openApiDocument(version))}\n`;
}

/** The typed client (src/client) as one ES module for pages: no zod, no server code, types erased. */
export async function clientModule() {
  const code = await bundle({ entryPoints: [resolve(ROOT, "src/client/index.ts")], platform: "neutral" });
  return `// cognito-edge/client, generated from src/client by \`npm run public\`: do not edit.\n${code}`;
}

/** The QR encoder the demo app draws the TOTP secret with (uqr, MIT), vendored so that nothing is fetched from a CDN. */
export async function qrModule() {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, "node_modules/uqr/package.json"), "utf8"));
  const code = await bundle({
    stdin: { contents: 'export { encode } from "uqr";', resolveDir: ROOT, loader: "js" },
    platform: "neutral",
    minify: true,
  });
  const license = readFileSync(resolve(ROOT, "node_modules/uqr/LICENSE"), "utf8").trim().replace(/^/gm, " * ");
  return `/*! uqr ${pkg.version} (encode only), vendored by \`npm run public\`.\n${license}\n */\n${code}`;
}

/** Every generated file, by path relative to the repository. */
export async function generatedFiles() {
  return {
    "public/openapi.json": await openApiJson(),
    "public/app/client.js": await clientModule(),
    "public/app/qr.js": await qrModule(),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [what, target] = process.argv.slice(2);
  if (what === "openapi") {
    const file = resolve(target ?? resolve(ROOT, "public/openapi.json"));
    writeFileSync(file, await openApiJson());
    console.log(`wrote ${file}`);
  } else {
    for (const [path, text] of Object.entries(await generatedFiles())) {
      writeFileSync(resolve(ROOT, path), text);
      console.log(`wrote ${path}`);
    }
  }
}
