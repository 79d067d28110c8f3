import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { log } from "../log";
import type { AppEnv } from "../types";

/** The request's line, unless LOG_LEVEL or the gateway's sampling leaves it out. */
function logRequest(c: Context<AppEnv>, started: number): void {
  const status = c.res.status;
  // LOG_LEVEL=warn|error keeps only the lines of failed requests.
  if (status < 500 && c.var.config && c.var.config.logLevel !== "info") return;
  // A forwarded answer that did not fail is logged only when sampled: the gateway's
  // hot path should not pay a log line per request (GATEWAY_LOG_SAMPLE_RATE).
  if (status < 500 && c.var.forwarded && Math.random() >= c.var.config.gatewayLogSampleRate) return;
  log(status >= 500 ? "error" : "info", "request", {
    requestId: c.var.requestId,
    method: c.req.method,
    // After next(), routeIndex points at the handler that answered.
    route: routePath(c) || "unmatched",
    status,
    ms: Date.now() - started,
    code: c.var.errorCode,
    cognito: c.var.trace.length ? c.var.trace : undefined,
  });
}

/**
 * One JSON line per request: id, method, route pattern (never the raw path,
 * which can hold an email), status, duration, the Cognito calls with their
 * latency, and the error code. No header, body, token or email is logged.
 * The line is written in a function of its own: a `return` inside `finally`
 * would swallow an error thrown by next().
 */
export const accessLog = () =>
  createMiddleware<AppEnv>(async function accessLog(c, next) {
    const started = Date.now();
    c.set("trace", []);
    try {
      await next();
    } finally {
      logRequest(c, started);
    }
  });
