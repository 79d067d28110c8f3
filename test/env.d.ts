/** Bindings only the test projects set (vitest.config.ts). */
declare namespace Cloudflare {
  interface Env {
    TEST_CLIENT_KIND: "public" | "secret";
  }
}
