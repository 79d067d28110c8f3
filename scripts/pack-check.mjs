// npm run pack:check: the packed tarball works for a team that installs it.
// Packs the package (prepack builds dist/), installs it with hono and wrangler
// into a new Hono Worker project in a temporary directory, typechecks that
// project under strict settings for moduleResolution Bundler and NodeNext
// (library and client; no global Env, so the published types cannot lean on
// one), runs the library example under `wrangler dev` and expects 401
// problem+json for a request without a token. Run by .ci/run.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const versionOf = (name) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
const dir = mkdtempSync(join(tmpdir(), "cognito-edge-pack-"));
const run = (command, args, cwd = dir) => execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
const started = Date.now();
const step = (what) => console.log(`pack-check: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

/** What the tarball must hold, and what it must not: sources, tests, the generated Env, the demo app. */
function checkContents(files) {
  const required = [
    "package.json",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "dist/index.js",
    "dist/index.d.ts",
    "dist/lib.js",
    "dist/lib.d.ts",
    "dist/client/index.js",
    "dist/client/index.d.ts",
  ];
  const missing = required.filter((f) => !files.includes(f));
  const unwanted = files.filter((f) => !(required.includes(f) || /^dist\/.+\.(js|d\.ts)$/.test(f)) || /\.test\./.test(f));
  if (missing.length || unwanted.length) throw new Error(`tarball: missing ${missing.join(", ") || "nothing"}; unwanted ${unwanted.join(", ") || "nothing"}`);
}

const WRANGLER_TOML = `name = "pack-check"
main = "src/index.ts"
compatibility_date = "2026-04-26"

[vars]
AWS_REGION = "eu-west-1"
COGNITO_USER_POOL_ID = "eu-west-1_AbCdEf123"
COGNITO_CLIENT_ID = "1example23456789"
`;

/** The library example: a Hono Worker of its own that protects a route with requireAuth. */
const WORKER = `import { Hono } from "hono";
import { requireAuth, type VerifierEnv } from "cognito-edge/verifier";

const app = new Hono<VerifierEnv>();
app.get("/", (c) => c.text("public"));
app.get("/orders", requireAuth({ groups: ["staff"] }), (c) => {
  const [first] = c.var.auth.claims.groups;
  return c.json({ sub: c.var.auth.claims.sub, firstGroup: first ?? null });
});

export default app;
`;

/** The typed client, as a page or another Worker uses it. */
const CLIENT = `import { ApiError, CognitoEdgeClient } from "cognito-edge/client";

export const client = new CognitoEdgeClient({ baseUrl: "https://auth.example.com", delivery: "body" });
export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;
`;

const tsconfig = (resolution) => ({
  compilerOptions: {
    target: "ES2022",
    module: resolution === "NodeNext" ? "NodeNext" : "ES2022",
    moduleResolution: resolution,
    lib: ["ES2022"],
    types: ["./worker-configuration.d.ts"],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    isolatedModules: true,
    // The package's .d.ts files are checked too.
    skipLibCheck: false,
    noEmit: true,
  },
  include: ["src", "worker-configuration.d.ts"],
});

/** tsc's error lines for a tsconfig of the temporary project. */
function typecheck(project) {
  try {
    run(process.execPath, [tsc, "-p", project, "--pretty", "false"]);
    return [];
  } catch (err) {
    if (typeof err.stdout !== "string" || err.stdout === "") throw err;
    return err.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
  }
}

/** A free local port for wrangler dev. */
const freePort = () =>
  new Promise((done, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.on("error", fail);
  });

async function checkUnderWranglerDev() {
  const port = await freePort();
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
  const wrangler = spawn(join(dir, "node_modules/.bin/wrangler"), ["dev", "--port", String(port), "--ip", "127.0.0.1"], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  wrangler.stdout.on("data", (d) => (output += d));
  wrangler.stderr.on("data", (d) => (output += d));
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
      const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      if (res?.ok) break;
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer within 30 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const res = await fetch(`http://127.0.0.1:${port}/orders`);
    const body = await res.json();
    const type = res.headers.get("Content-Type") ?? "";
    if (
      res.status !== 401 ||
      !type.startsWith("application/problem+json") ||
      body.code !== "unauthorized" ||
      !res.headers.get("WWW-Authenticate")?.startsWith("Bearer")
    ) {
      throw new Error(`GET /orders without a token: ${res.status} ${type} ${JSON.stringify(body)}`);
    }
  } finally {
    wrangler.kill("SIGTERM");
    await new Promise((r) => (wrangler.exitCode !== null ? r() : wrangler.once("exit", r)));
  }
}

try {
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], ROOT));
  checkContents(packed.files.map((f) => f.path));
  step(`packed ${packed.filename}, ${packed.files.length} files, ${Math.round(packed.size / 1024)} KB`);

  mkdirSync(join(dir, "src"));
  const manifest = {
    name: "pack-check",
    private: true,
    type: "module",
    dependencies: { "cognito-edge": `file:./${packed.filename}`, hono: versionOf("hono") },
    devDependencies: { wrangler: versionOf("wrangler") },
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, "wrangler.toml"), WRANGLER_TOML);
  writeFileSync(join(dir, "src/index.ts"), WORKER);
  writeFileSync(join(dir, "src/client.ts"), CLIENT);
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"]);
  step("installed the tarball, hono and wrangler");

  run(join(dir, "node_modules/.bin/wrangler"), ["types", "--include-env=false"]);
  for (const resolution of ["Bundler", "NodeNext"]) {
    writeFileSync(join(dir, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig(resolution), null, 2));
    // wrangler's generated runtime types have errors of their own under NodeNext
    // (an `export =` in an ES module); only errors elsewhere are the package's.
    const errors = typecheck(`tsconfig.${resolution}.json`).filter((line) => !line.startsWith("worker-configuration.d.ts("));
    if (errors.length) throw new Error(`typecheck with moduleResolution ${resolution} failed:\n${errors.join("\n")}`);
  }
  step("typechecked under Bundler and NodeNext");

  await checkUnderWranglerDev();
  step("wrangler dev answered 401 problem+json without a token");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
