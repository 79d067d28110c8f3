import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * The integration suite runs twice against the same Cognito stand-in: once
 * with a public app client, once with a confidential one (client secret,
 * SECRET_HASH on every call that takes it). Unit tests run with the first.
 */
function project(name: "public" | "secret") {
  return {
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
              COGNITO_ENDPOINT: cognito.endpoint,
              COGNITO_ISSUER: cognito.issuer,
              REFRESH_TOKEN_DELIVERY: "both",
              CORS_ORIGINS: "https://app.example.com",
              AWS_ACCESS_KEY_ID: admin.accessKeyId,
              AWS_SECRET_ACCESS_KEY: admin.secretAccessKey,
              AWS_SESSION_TOKEN: admin.sessionToken,
              TEST_CLIENT_KIND: name,
            },
            // Bound under test names so that only the tests that want the gateway get it.
            serviceBindings: { TEST_UPSTREAM: "echo-upstream", TEST_RPC_CLIENT: "rpc-client" },
            kvNamespaces: ["TEST_REVOCATIONS"],
            workers: [
              {
                name: "echo-upstream",
                modules: true,
                scriptPath: "./test/support/workers/echo-upstream.js",
                compatibilityDate: "2026-04-26",
              },
              {
                name: "rpc-client",
                modules: true,
                scriptPath: "./test/support/workers/rpc-client.js",
                compatibilityDate: "2026-04-26",
                // The pool names the main Worker after the project.
                serviceBindings: { AUTH: { name: `vitest-pool-workers-runner-${name}`, entrypoint: "AuthService" } },
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
    },
  };
}

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    // Logs of passing tests are noise; a failing test shows its Worker logs.
    silent: "passed-only",
    projects: [project("public"), project("secret")],
  },
});
