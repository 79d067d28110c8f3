/** The prefixes of the Worker's routes. */
export const ROUTE_PREFIXES = ["/health", "/auth", "/admin"];

/**
 * The paths the Worker owns (docs/API.md): what no route answers under them is
 * 404, never forwarded. /openapi.json and /docs are static assets, answered
 * before the Worker runs; only a file that is not there reaches it.
 */
export const OWN_PREFIXES = [...ROUTE_PREFIXES, "/openapi.json", "/docs"];

/** Where the gateway's assertion keys are published: `<issuer>/.well-known/jwks.json`, as Cognito's own. */
export const JWKS_PATH = "/.well-known/jwks.json";
