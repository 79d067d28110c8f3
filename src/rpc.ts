import { WorkerEntrypoint } from "cloudflare:workers";
import { verifierFor } from "./verifier-options";
import { AuthError } from "./errors";
import type { VerifyResult, WorkerEnv } from "./types";

/**
 * RPC for Workers bound to this one:
 * `const r = await env.AUTH.verify(token); if (r.valid) r.claims.sub`.
 */
export class AuthService extends WorkerEntrypoint<WorkerEnv> {
  /** Verifies a Cognito access token exactly as the middleware and gateway do. */
  async verify(token: string): Promise<VerifyResult> {
    if (typeof token !== "string" || token === "") return { valid: false, code: "unauthorized" };
    try {
      const claims = await verifierFor(this.env).verify(token);
      return { valid: true, claims: claims.raw };
    } catch (err) {
      return { valid: false, code: err instanceof AuthError ? err.code : "internal_error" };
    }
  }
}
