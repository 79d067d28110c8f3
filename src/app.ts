import { Hono } from "hono/tiny";
import { HTTPException } from "hono/http-exception";
import type { Health } from "./answers";
import { AuthError, internalError, problem } from "./errors";
import { log } from "./log";
import { accessLog } from "./middleware/access-log";
import { cors, secureHeaders } from "./middleware/browser-headers";
import { withConfig } from "./middleware/config";
import { withChallenge } from "./middleware/require-auth";
import { requestId } from "./middleware/request-id";
import { adminRoutes } from "./routes/admin";
import { authRoutes } from "./routes/auth";
import { challengeRoutes } from "./routes/challenge";
import { mfaRoutes } from "./routes/mfa";
import { oauthRoutes } from "./routes/oauth";
import { meRoutes } from "./routes/me";
import { gateway } from "./routes/gateway";
import { passwordRoutes } from "./routes/password";
import { AMBIGUOUS_PATH, routingPath } from "./request-path";
import type { AppEnv } from "./types";

function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof HTTPException && err.status === 400) {
    return new AuthError("invalid_json");
  }
  return internalError(err);
}

/** Builds the Worker's Hono app: middleware order, routes, and the one error handler. */
export function createApp() {
  // Routes, the gateway's own-path test and the forwarded path all read the canonical path.
  const app = new Hono<AppEnv>({ getPath: routingPath });
  app.use(requestId());
  app.use(accessLog());
  // On the Worker's own answers, errors of the gateway included. Forwarded answers
  // are the upstream's, passed through unchanged (docs/API.md).
  app.use(secureHeaders());
  app.use(async function canonicalPathOnly(c, next) {
    if (c.req.path === AMBIGUOUS_PATH) {
      throw new AuthError("validation_failed", "The path is ambiguous: it has an encoded slash, backslash, dot segment or escape.");
    }
    await next();
  });
  app.use(withConfig());
  app.use(cors());
  app.get("/health", (c) => {
    const { oauth, aws } = c.var.config;
    const features = { oauth: Boolean(oauth), admin: Boolean(aws), gateway: Boolean(c.env.UPSTREAM), revocations: Boolean(c.env.REVOCATIONS) };
    return c.json({ status: "ok", features } satisfies Health, 200);
  });
  app.route("/auth", authRoutes());
  app.route("/auth", passwordRoutes());
  app.route("/auth", challengeRoutes());
  app.route("/auth/me", meRoutes());
  app.route("/auth/mfa", mfaRoutes());
  app.route("/auth/oauth", oauthRoutes());
  app.route("/admin", adminRoutes());
  app.use(gateway());
  app.onError((err, c) => {
    // Every 401 about an access token carries the RFC 6750 challenge, also when Cognito was the one to refuse it.
    const error = withChallenge(toAuthError(err));
    c.set("errorCode", error.code);
    if (error.status >= 500) {
      // Only our own structured cause (ErrorCause): never an upstream message.
      log("error", "request_failed", { requestId: c.var.requestId, code: error.code, cause: error.cause });
    }
    return problem(c, error);
  });
  app.notFound((c) => {
    c.set("errorCode", "not_found");
    return problem(c, new AuthError("not_found"));
  });
  return app;
}
