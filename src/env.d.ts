/** Optional bindings (docs/API.md): absent unless configured in wrangler.toml. */
declare namespace Cloudflare {
  interface Env {
    REVOCATIONS?: KVNamespace;
    UPSTREAM?: Fetcher;
  }
}
