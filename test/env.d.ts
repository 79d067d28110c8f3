/** Bindings only the test projects set (vitest.config.ts). */
declare namespace Cloudflare {
  interface Env {
    TEST_CLIENT_KIND: "public" | "secret";
    TEST_UPSTREAM: Fetcher;
    TEST_RPC_CLIENT: Fetcher;
    TEST_REVOCATIONS: KVNamespace;
  }
}
