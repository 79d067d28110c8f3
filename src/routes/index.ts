import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type { Health } from "../answers";
import { AuthError } from "../errors";
import { gatewayOn } from "../gateway/setup";
import { OWN_PREFIXES } from "../own-paths";
import { withCognito } from "../middleware/cognito";
import { requireKeys } from "../seal/context";
import { browserOriginOnly } from "../session/csrf";
import type { AppEnv } from "../types";
import { adminRoutes } from "./admin";
import { authRoutes } from "./auth";
import { challengeRoutes } from "./challenge";
import { meRoutes } from "./me";
import { mfaRoutes } from "./mfa";
import { oauthRoutes } from "./oauth";
import { passkeyRoutes } from "./passkeys";
import { passwordRoutes } from "./password";
import { sessionRoutes } from "./sessions";

/** GET /health: up, and which optional features are on. */
function health(c: Context<AppEnv>) {
  const { oauth, aws } = c.var.config;
  const features = {
    oauth: Boolean(oauth),
    admin: Boolean(aws),
    gateway: gatewayOn(c.env),
    revocations: Boolean(c.env.REVOCATIONS),
    sessions: Boolean(c.env.SESSIONS),
    browserSessions: c.var.config.sessionMode === "browser",
  };
  return c.json({ status: "ok", features } satisfies Health, 200);
}

// Kept in their own module so that the gateway's setup can refuse rules under them without an import cycle.
export { OWN_PREFIXES, ROUTE_PREFIXES } from "../own-paths";

/**
 * The Worker's own routes, and 404 for anything else under `prefixes`, so
 * that only other paths fall through to the gateway (or, mounted, to the
 * host's routes). Built by createApp on the first request, not at module
 * load (startup CPU).
 */
export function ownRoutes(prefixes: string[] = OWN_PREFIXES) {
  const own = new Hono<AppEnv>()
    .get("/health", health)
    .use("/auth/*", browserOriginOnly(), requireKeys(), withCognito())
    .route("/auth", authRoutes())
    .route("/auth", passwordRoutes())
    .route("/auth", challengeRoutes())
    .route("/auth/me", meRoutes())
    .route("/auth/mfa", mfaRoutes())
    .route("/auth/passkeys", passkeyRoutes())
    .route("/auth/sessions", sessionRoutes())
    .route("/auth/oauth", oauthRoutes())
    .use("/admin/*", withCognito())
    .route("/admin", adminRoutes());
  // Thrown, not c.notFound(): mounted in another app, c.notFound() would answer the host's 404.
  for (const prefix of prefixes) {
    own.all(`${prefix}/*`, () => {
      throw new AuthError("not_found");
    });
  }
  return own;
}
