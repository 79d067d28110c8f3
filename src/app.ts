import { Hono } from "hono/tiny";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import type { Health } from "./answers";
import type { Config } from "./config";
import { AuthError, internalError, problem } from "./errors";
import { log } from "./log";
import { accessLog } from "./middleware/access-log";
import { withConfig } from "./middleware/config";
import { withChallenge } from "./middleware/require-auth";
import { requestId } from "./middleware/request-id";
import { adminRoutes } from "./routes/admin";
import { authRoutes } from "./routes/auth";
import { challengeRoutes } from "./routes/challenge";
import { mfaRoutes } from "./routes/mfa";
import { oauthRoutes } from "./routes/oauth";
import { meRoutes } from "./routes/me";
import { forwards, gateway } from "./routes/gateway";
import { passwordRoutes } from "./routes/password";
import type { AppEnv } from "./types";

const corsByConfig = new WeakMap<Config, ReturnType<typeof cors>>();

/** CORS from CORS_ORIGINS: only listed origins, with credentials (for the refresh cookie). */
function corsFor(config: Config) {
  let handler = corsByConfig.get(config);
  if (!handler) {
    handler = cors({
      origin: (origin) => (config.corsOrigins.includes(origin) ? origin : null),
      credentials: true,
      allowHeaders: ["Content-Type", "Authorization", "X-Request-Id"],
      allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE"],
      exposeHeaders: ["X-Request-Id", "Retry-After", "WWW-Authenticate"],
      maxAge: 600,
    });
    corsByConfig.set(config, handler);
  }
  return handler;
}

function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof HTTPException && err.status === 400) {
    return new AuthError("invalid_json", "The body is not valid JSON.");
  }
  return internalError(err);
}

/** Builds the Worker's Hono app: middleware order, routes, and the one error handler. */
export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(accessLog());
  app.use(withConfig());
  // Defaults of hono/secure-headers on the Worker's own answers. Forwarded answers
  // are the upstream's, passed through unchanged (docs/API.md): it sets its own headers.
  const secure = secureHeaders();
  app.use((c, next) => (forwards(c) ? next() : secure(c, next)));
  // CORS only concerns browsers, which always send Origin; skipping it otherwise
  // keeps server-to-server traffic (and the gateway) free of its header copies.
  app.use((c, next) => (c.req.header("Origin") ? corsFor(c.var.config)(c, next) : next()));
  app.get("/health", (c) => c.json({ status: "ok" } satisfies Health, 200));
  app.route("/auth", authRoutes);
  app.route("/auth", passwordRoutes);
  app.route("/auth", challengeRoutes);
  app.route("/auth/me", meRoutes);
  app.route("/auth/mfa", mfaRoutes);
  app.route("/auth/oauth", oauthRoutes);
  app.route("/admin", adminRoutes);
  app.use(gateway());
  app.onError((err, c) => {
    // Every 401 about an access token carries the RFC 6750 challenge, also when Cognito was the one to refuse it.
    const error = withChallenge(toAuthError(err));
    c.set("errorCode", error.code);
    if (error.status >= 500) {
      // Only the cause's type and our own structured causes: never an upstream message.
      const cause = error.cause instanceof Error ? error.cause.name : error.cause;
      log("error", "request_failed", { requestId: c.var.requestId, code: error.code, cause });
    }
    return problem(c, error);
  });
  app.notFound((c) => {
    c.set("errorCode", "not_found");
    return problem(c, new AuthError("not_found", "There is nothing at this path."));
  });
  return app;
}
