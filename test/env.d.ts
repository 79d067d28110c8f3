/** Bindings only the test projects set (vitest.config.ts). */
declare namespace Cloudflare {
  interface Env {
    TEST_CLIENT_KIND: "public" | "secret";
    TEST_UPSTREAM: Fetcher;
    /** The same echo Worker under another name: its answers say X-Upstream: b. */
    TEST_UPSTREAM_B: Fetcher;
    TEST_RPC_CLIENT: Fetcher;
    TEST_REVOCATIONS: KVNamespace;
    TEST_SESSIONS: DurableObjectNamespace<import("../src/sessions/registry").SessionRegistry>;
    /** examples/api-behind-gateway and examples/rpc-caller, bundled and bound as Workers of their own. */
    TEST_EXAMPLE_API: Fetcher;
    TEST_EXAMPLE_RPC: Fetcher;
    /** examples/verifying-upstream, verifying X-Auth-Assertion against the Worker's JWKS. */
    TEST_EXAMPLE_VERIFYING: Fetcher;
  }
}

/** Vite's raw imports (`README.md?raw`): the file's text. */
declare module "*?raw" {
  const text: string;
  export default text;
}
