import { generateKeyPairSync, randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { buildSync } from "esbuild";
import { defineConfig } from "vitest/config";

// Every console line of the run (the Worker's logs included) goes to this file;
// globalSetup's teardown fails the run if a secret used by the tests is in it.
process.env.TEST_LOG_FILE ??= join(mkdtempSync(join(tmpdir(), "cognito-edge-logs-")), "console.log");
const LOG_FILE = process.env.TEST_LOG_FILE;
// The Worker's secret (EDGE_SECRET), new for every run; the log check looks for it too.
process.env.TEST_EDGE_SECRET ??= randomBytes(32).toString("base64url");
const EDGE_SECRET = process.env.TEST_EDGE_SECRET;
/** A new P-256 private JWK with a kid: the gateway's assertion keys, current and next, new for every run. */
const signingKey = (kid: string) => JSON.stringify({ ...generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }), kid });
process.env.TEST_SIGNING_KEY ??= signingKey("test-current");
process.env.TEST_SIGNING_KEY_NEXT ??= signingKey("test-next");
const SIGNING_KEYS = { GATEWAY_SIGNING_KEY: process.env.TEST_SIGNING_KEY, GATEWAY_SIGNING_KEY_NEXT: process.env.TEST_SIGNING_KEY_NEXT };

/**
 * The package's own entries: package.json's `exports` point at the build in
 * dist/, the tests import the sources (tsconfig.json's `paths` does the same for types).
 */
const SELF = [
  { find: /^cognito-edge$/, replacement: resolve("src/index.ts") },
  { find: /^cognito-edge\/verifier$/, replacement: resolve("src/lib.ts") },
  { find: /^cognito-edge\/app$/, replacement: resolve("src/mount.ts") },
  { find: /^cognito-edge\/client$/, replacement: resolve("src/client/index.ts") },
];

/**
 * The examples that run as Workers of their own behind a service binding,
 * bundled as wrangler would (TypeScript, imports of "cognito-edge" resolved).
 */
function exampleWorker(example: string) {
  const entry = `./examples/${example}/src/index.ts`;
  const alias = { "cognito-edge": "./src/index.ts", "cognito-edge/verifier": "./src/lib.ts", "cognito-edge/app": "./src/mount.ts" };
  const built = buildSync({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", write: false, logLevel: "error", alias });
  return [{ type: "ESModule" as const, path: `examples/${example}.mjs`, contents: built.outputFiles[0].text }];
}
const EXAMPLE_API = exampleWorker("api-behind-gateway");
const EXAMPLE_RPC = exampleWorker("rpc-caller");
const EXAMPLE_VERIFYING = exampleWorker("verifying-upstream");
/** The gateway's assertion audience in the tests, and the issuer: the origin `send` uses. */
const ASSERTION = { audience: "cognito-edge-tests", issuer: "https://edge.example.com" };

/**
 * The integration suite runs twice against the same Cognito stand-in: once
 * with a public app client, once with a confidential one (client secret,
 * SECRET_HASH on every call that takes it). Unit tests run with the first.
 */
function project(name: "public" | "secret") {
  return {
    resolve: { alias: SELF },
    plugins: [
      cloudflareTest(({ inject }) => {
        const cognito = inject("cognito");
        const admin = inject("admin");
        return {
          main: "./src/index.ts",
          wrangler: { configPath: "./wrangler.toml" },
          miniflare: {
            bindings: {
              AWS_REGION: "local",
              COGNITO_USER_POOL_ID: cognito.poolId,
              COGNITO_CLIENT_ID: name === "secret" ? cognito.secretClientId : cognito.publicClientId,
              COGNITO_CLIENT_SECRET: name === "secret" ? cognito.clientSecret : "",
              // The confidential client accepts the user's IP (EnablePropagateAdditionalUserContextData, in the strict layer).
              COGNITO_USER_CONTEXT_IP: name === "secret" ? "on" : "",
              COGNITO_ENDPOINT: cognito.endpoint,
              COGNITO_ISSUER: cognito.issuer,
              REFRESH_TOKEN_DELIVERY: "both",
              CORS_ORIGINS: "https://app.example.com",
              AWS_ACCESS_KEY_ID: admin.accessKeyId,
              AWS_SECRET_ACCESS_KEY: admin.secretAccessKey,
              AWS_SESSION_TOKEN: admin.sessionToken,
              EDGE_SECRET,
              // The gateway signs identities (X-Auth-Assertion) in every test; tests of the feature off override these.
              ...SIGNING_KEYS,
              GATEWAY_ASSERTION_AUDIENCE: ASSERTION.audience,
              // The stand-in's pool allows every first factor; its passkeys are for pages on localhost.
              FIRST_FACTORS: "password,email_otp,sms_otp,passkey",
              PASSKEY_RP_ID: "localhost",
              // The stand-in's numbers are +1 555 …; the worldwide SMS budget is tested with an object of its own.
              SMS_COUNTRY_CODES: "1",
              SMS_HOURLY_LIMIT: "1000000",
              TEST_CLIENT_KIND: name,
            },
            // Bound under test names so that only the tests that want the gateway get it.
            serviceBindings: {
              TEST_UPSTREAM: "echo-upstream",
              // A second upstream for GATEWAY_RULES' `-> NAME` (and the https-origin stand-in's target).
              TEST_UPSTREAM_B: "echo-upstream-b",
              TEST_RPC_CLIENT: "rpc-client",
              TEST_EXAMPLE_API: "example-api",
              TEST_EXAMPLE_RPC: "example-rpc-caller",
              TEST_EXAMPLE_VERIFYING: "example-verifying-upstream",
            },
            kvNamespaces: ["TEST_REVOCATIONS"],
            // The session registry (optional, so not bound in wrangler.toml): only the tests that want it bind it.
            durableObjects: { TEST_SESSIONS: "SessionRegistry" },
            workers: [
              {
                name: "echo-upstream",
                modules: true,
                scriptPath: "./test/support/workers/echo-upstream.js",
                compatibilityDate: "2026-04-26",
              },
              {
                name: "echo-upstream-b",
                modules: true,
                scriptPath: "./test/support/workers/echo-upstream.js",
                compatibilityDate: "2026-04-26",
                bindings: { UPSTREAM_NAME: "b" },
              },
              {
                name: "rpc-client",
                modules: true,
                scriptPath: "./test/support/workers/rpc-client.js",
                compatibilityDate: "2026-04-26",
                // The pool names the main Worker after the project.
                serviceBindings: { AUTH: { name: `vitest-pool-workers-runner-${name}`, entrypoint: "AuthService" } },
              },
              // examples/api-behind-gateway, rpc-caller and verifying-upstream, as deployed beside the Worker.
              { name: "example-api", modules: EXAMPLE_API, compatibilityDate: "2026-04-26" },
              {
                name: "example-rpc-caller",
                modules: EXAMPLE_RPC,
                compatibilityDate: "2026-04-26",
                serviceBindings: { AUTH: { name: `vitest-pool-workers-runner-${name}`, entrypoint: "AuthService" } },
              },
              // examples/verifying-upstream: fetches the JWKS from the Worker (its default entrypoint) over GATEWAY.
              {
                name: "example-verifying-upstream",
                modules: EXAMPLE_VERIFYING,
                compatibilityDate: "2026-04-26",
                bindings: { GATEWAY_ISSUER: ASSERTION.issuer, GATEWAY_AUDIENCE: ASSERTION.audience },
                serviceBindings: { GATEWAY: `vitest-pool-workers-runner-${name}` },
              },
            ],
          },
        };
      }),
    ],
    test: {
      name,
      include: name === "public" ? ["src/**/*.test.ts", "test/integration/**/*.test.ts"] : ["test/integration/**/*.test.ts"],
      testTimeout: 20_000,
      // One workerd (Miniflare) per worker slot for all of a project's files, not one per file:
      // module import fell from 216 s to 39 s summed. Every request already comes from a random
      // /64 and every test makes its own accounts, so no file depends on another's state.
      isolate: false,
      // fuzz.test.ts: `npm run fuzz` sets FUZZ_RUNS; FUZZ_SEED and FUZZ_PATH replay a failure.
      provide: {
        fuzz: {
          runs: Number(process.env.FUZZ_RUNS) || 0,
          ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
          ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
        },
      },
    },
  };
}

/**
 * The browser walk's Chromium (@sparticuz/chromium) is a Linux build for x64
 * and arm64; elsewhere that one project is left out and everything else runs.
 */
const CHROMIUM_RUNS = process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64");
if (!CHROMIUM_RUNS) {
  console.warn(`Skipping the browser project: its bundled Chromium runs on Linux x64 and arm64 only, not ${process.platform} ${process.arch}.`);
}

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    // Two files at a time on this 2-core machine: most of a file's time is spent waiting on the
    // Cognito stand-in, wrangler dev or a browser, not on a core (vitest's default would be one).
    maxWorkers: 2,
    // Every line goes to LOG_FILE (checked for secrets at teardown); only error
    // lines are printed, the per-request info lines would drown the report.
    onConsoleLog(line: string, type: "stdout" | "stderr") {
      appendFileSync(LOG_FILE, `${line}\n`);
      return type === "stderr";
    },
    projects: [
      project("public"),
      project("secret"),
      // In Node: the Cognito stand-in's own unit tests (SigV4, model constraints, sessions), the generated
      // files of public/ and the OpenAPI document's validity.
      {
        test: { name: "node", include: ["test/support/node/**/*.test.ts", "test/node/**/*.test.ts"], environment: "node", testTimeout: 60_000 },
      },
      // In Node: wrangler dev and a real Chromium walking the demo app and the docs page.
      ...(CHROMIUM_RUNS
        ? [{ test: { name: "browser", include: ["test/browser/**/*.test.ts"], environment: "node", testTimeout: 120_000, hookTimeout: 240_000 } }]
        : []),
    ],
  },
});
