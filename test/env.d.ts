/** Bindings only the test projects set (vitest.config.ts). */
declare namespace Cloudflare {
  interface Env {
    TEST_CLIENT_KIND: "public" | "secret";
    TEST_UPSTREAM: Fetcher;
    TEST_RPC_CLIENT: Fetcher;
    TEST_REVOCATIONS: KVNamespace;
  }
}

/** Vite's raw imports (`README.md?raw`): the file's text. */
declare module "*?raw" {
  const text: string;
  export default text;
}
