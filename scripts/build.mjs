// npm run build: the package's JavaScript and .d.ts in dist/ (tsconfig.build.json),
// for the three entries of package.json's `exports`.
//
// The sources import without extensions (moduleResolution Bundler); Node and a
// consumer's TypeScript under NodeNext resolve ESM only by full paths, so each
// relative specifier of the output gets its `.js` (or `/index.js`) here.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const DIST = join(ROOT, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });

/** `./config` -> `./config.js`, `./cognito` -> `./cognito/index.js`; anything else unchanged. */
function withExtension(file, specifier) {
  if (/\.(js|json)$/.test(specifier)) return specifier;
  const target = resolve(dirname(file), specifier);
  if (existsSync(`${target}.js`)) return `${specifier}.js`;
  if (existsSync(join(target, "index.js"))) return `${specifier}/index.js`;
  throw new Error(`${file}: cannot resolve ${specifier}`);
}

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)"(\.\.?\/[^"]*)"/g;
function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(js|d\.ts)$/.test(name)) yield path;
  }
}
for (const file of files(DIST)) {
  const text = readFileSync(file, "utf8");
  const fixed = text.replace(SPECIFIER, (_, lead, specifier) => `${lead}"${withExtension(file, specifier)}"`);
  if (fixed !== text) writeFileSync(file, fixed);
}
