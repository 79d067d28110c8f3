/**
 * Package entry `cognito-edge/app`: the Worker's routes as a Hono app, to
 * mount in a team's own Worker beside its routes (docs/library.md):
 *
 * ```ts
 * import { cognitoEdge } from "cognito-edge/app";
 * export { AccountLimiter } from "cognito-edge/app";
 * app.route("/", cognitoEdge());
 * ```
 *
 * The host's env carries the Worker's variables and bindings (docs/API.md,
 * "Configuration and bindings"), and its Worker exports AccountLimiter when
 * ACCOUNT_LIMITER is bound.
 */
import { type AppOptions, createApp } from "./app";

export { AccountLimiter } from "./limits/account-limiter";
export { AuthService } from "./rpc";
export { SessionRegistry } from "./sessions/registry";

/** Options of cognitoEdge. */
export type CognitoEdgeOptions = AppOptions;

/**
 * The Worker's Hono app. By default (`gateway: false`) it answers /health,
 * /auth/* and /admin/* only, with its own middleware, errors (problem+json)
 * and 404s there, and leaves every other path, and the host's notFound and
 * onError, to the host. `gateway: true` builds the Worker's app as deployed,
 * with the gateway as the fall-through for every other path: for a Worker of
 * its own (`export default cognitoEdge({ gateway: true })`), never to mount
 * beside other routes.
 */
export function cognitoEdge(options: CognitoEdgeOptions = {}) {
  return createApp({ gateway: options.gateway ?? false });
}
