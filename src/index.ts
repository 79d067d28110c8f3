import type { Hono } from "hono/tiny";
import { createApp } from "./app";
import type { AppEnv, WorkerEnv } from "./types";

export { AccountLimiter } from "./limits/account-limiter";
export { SmsBudget } from "./limits/sms-budget";
export { AuthService } from "./rpc";
export { SessionRegistry } from "./sessions/registry";

/**
 * The app is built on the first request, not when the module loads: every new
 * isolate in every location pays its startup CPU before it can answer anything
 * (`npm run bench -- --startup`).
 */
let app: Hono<AppEnv> | undefined;

const worker = {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    app ??= createApp();
    return app.fetch(request, env, ctx);
  },
};

export default worker satisfies ExportedHandler<WorkerEnv>;
