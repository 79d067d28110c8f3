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
import { OWN_PREFIXES, ownRoutes, ROUTE_PREFIXES } from "./routes";
import { JWKS_PATH, jwks } from "./routes/well-known";
import { AMBIGUOUS_PATH, routingPath } from "./request-path";
import { dropRefusedSession, withSessions } from "./session/authenticate";
import type { AppEnv } from "./types";

const toAuthError = (err: unknown): AuthError => (err instanceof AuthError ? err : internalError(err));

/** Options of createApp. */
export interface AppOptions {
  /**
   * true (the Worker): the gateway is the fall-through for every other path,
   * and the middleware runs on every path. false (mounted in another app with
   * `app.route("/", ...)`): the app claims only /health, /auth/* and /admin/*,
   * so the host's routes, before or after it, and its notFound stay its own.
   */
  gateway?: boolean;
}

/**
 * Builds the Worker's Hono app: middleware order, the Worker's own routes, the
 * gateway as the fall-through for every other path, and the one error handler.
 */
export function createApp(options: AppOptions = {}) {
  const withGateway = options.gateway ?? true;
  // Routes and the gateway's forwarded path both read the canonical path.
  const app = new Hono<AppEnv>({ getPath: routingPath });
  // Mounted, Hono's route() copies `use` handlers onto the host with their paths: "*" would run on the host's routes too.
  for (const path of withGateway ? ["*"] : ROUTE_PREFIXES.map((prefix) => `${prefix}/*`)) {
    app.use(path, requestId(), accessLog());
    // On the Worker's own answers, errors of the gateway included. Forwarded answers
    // are the upstream's, passed through unchanged (docs/API.md).
    app.use(path, secureHeaders());
    // Mounted, Hono routes on the host's getPath: the canonical path is computed here again.
    app.use(path, async function canonicalPathOnly(c, next) {
      if (c.req.path === AMBIGUOUS_PATH || (!withGateway && routingPath(c.req.raw) === AMBIGUOUS_PATH)) {
        throw new AuthError("validation_failed", "The path is ambiguous: it has an encoded slash, backslash, dot segment, escape or `;`.");
      }
      await next();
    });
    app.use(path, withConfig());
    app.use(path, withSessions());
    // For requests with an Origin, on forwarded answers too (docs/API.md), and preflights on every path.
    app.use(path, cors());
    // Before the AUTH_HOST rule: served on every host when configured, else the gateway's as before.
    if (withGateway) app.all(JWKS_PATH, jwks());
    app.use(path, authHostOnly());
  }
  // Mounted, /openapi.json and /docs are the host's: the Worker's static assets are not there.
  app.route("/", ownRoutes(withGateway ? OWN_PREFIXES : ROUTE_PREFIXES));
  if (withGateway) app.all("*", gateway());
  app.onError((err, c) => {
    // Every 401 about an access token carries the RFC 6750 challenge, also when Cognito was the one to refuse it.
    const error = withChallenge(toAuthError(err));
    c.set("errorCode", error.code);
    dropRefusedSession(c, error);
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
