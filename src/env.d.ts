import type { OptionalBindings } from "./types";

declare global {
  namespace Cloudflare {
    /** What `wrangler types` generates (worker-configuration.d.ts), and the optional bindings it cannot see. */
    interface Env extends OptionalBindings {}
  }
}
