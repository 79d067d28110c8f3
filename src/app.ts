import { Hono } from "hono/tiny";
import { AuthError, internalError, problem } from "./errors";
import { log } from "./log";
import { accessLog } from "./middleware/access-log";
import { authHostOnly } from "./middleware/auth-host";
import { cors, secureHeaders } from "./middleware/browser-headers";
import { withConfig } from "./middleware/config";
import { withChallenge } from "./middleware/require-auth";
import { requestId } from "./middleware/request-id";
import { gateway } from "./gateway";
import { ownRoutes } from "./routes";
import { AMBIGUOUS_PATH, routingPath } from "./request-path";
import type { AppEnv } from "./types";

const toAuthError = (err: unknown): AuthError => (err instanceof AuthError ? err : internalError(err));

/**
 * Builds the Worker's Hono app: middleware order, the Worker's own routes, the
 * gateway as the fall-through for every other path, and the one error handler.
 */
export function createApp() {
  // Routes and the gateway's forwarded path both read the canonical path.
  const app = new Hono<AppEnv>({ getPath: routingPath });
  app.use(requestId());
  app.use(accessLog());
  // On the Worker's own answers, errors of the gateway included. Forwarded answers
  // are the upstream's, passed through unchanged (docs/API.md).
  app.use(secureHeaders());
  app.use(async function canonicalPathOnly(c, next) {
    if (c.req.path === AMBIGUOUS_PATH) {
      throw new AuthError("validation_failed", "The path is ambiguous: it has an encoded slash, backslash, dot segment, escape or `;`.");
    }
    await next();
  });
  app.use(withConfig());
  // For requests with an Origin, on forwarded answers too (docs/API.md), and preflights on every path.
  app.use(cors());
  app.use(authHostOnly());
  app.route("/", ownRoutes());
  app.all("*", gateway());
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
