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
              TEST_CLIENT_KIND: name,
            },
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
    projects: [project("public"), project("secret")],
  },
});
