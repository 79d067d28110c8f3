import type { Context, Handler } from "hono";
import { AuthError, internalError } from "../errors";
import { authenticate } from "../middleware/require-auth";
import { encodePath } from "../request-path";
import { hasSession } from "../session/authenticate";
import type { AccessClaims } from "../tokens/claims";
import type { Verifier } from "../tokens/verifier";
import type { AppEnv } from "../types";
import { checkAccess } from "./access";
import { assertionSignerFor, setAssertion } from "./assertion";
import { forwardedHeaders, identityHeaders, withoutOwnSetCookies } from "./headers";
import { type GatewaySetup, gatewayFor } from "./setup";
import { forward } from "./upstreams";

/** On a public path a token is optional: the caller's identity when it is valid, else none. */
async function optionalIdentity(c: Context<AppEnv>, verifier: Verifier): Promise<AccessClaims | undefined> {
  if (c.req.header("Authorization") === undefined && !hasSession(c)) return undefined;
  try {
    return (await authenticate(c, verifier, true)).claims;
  } catch (err) {
    if (err instanceof AuthError) return undefined;
    throw err;
  }
}

/** The gateway of this env; rules that do not parse fail the gateway alone (500). */
function setupOf(c: Context<AppEnv>): GatewaySetup {
  try {
    return gatewayFor(c.env);
  } catch (err) {
    throw internalError(err);
  }
}

/**
 * The fall-through after the Worker's own routes. The rule of the path
 * (GATEWAY_RULES, PUBLIC_PATHS; longest prefix of the canonical path) says who
 * may call it and where it goes; a path no rule names needs a user's token and
 * goes to UPSTREAM (404 without it). Public paths are forwarded without a
 * token; a token sent there is verified, and an invalid one is not forwarded.
 * The canonical path is what is matched and what is forwarded, with the
 * caller's identity in X-Auth-* headers. `Authorization` is forwarded only
 * with GATEWAY_FORWARD_AUTHORIZATION=on; with GATEWAY_SIGNING_KEY, a signed
 * assertion of the identity too (X-Auth-Assertion). A browser session
 * (SESSION_MODE=browser) stands in for the token, and neither its token nor its
 * cookies leave the Worker. Upstream answers pass through as they are, less any
 * Set-Cookie of the Worker's cookies; one that carries a renewed session's
 * cookies is `Cache-Control: private, no-store`.
 */
export const gateway = (): Handler<AppEnv> =>
  async function gateway(c) {
    const setup = setupOf(c);
    const path = c.req.path;
    const rule = setup.rules.match(c.req.method, path);
    if (rule?.refused) {
      throw new AuthError("forbidden", "No rule lets this method call this path.", { cause: { reason: "method not listed" } });
    }
    const upstream = setup.upstreamOf(rule);
    if (!upstream) return c.notFound();
    const headers = forwardedHeaders(c);
    let claims: AccessClaims | undefined;
    if (rule?.public) {
      claims = await optionalIdentity(c, setup.verifier);
      // Past its exp (in the clock tolerance) a token gets no assertion: on a public path, anonymous.
      if (claims && assertionSignerFor(c.env)?.expired(claims)) claims = undefined;
    } else {
      claims = (await authenticate(c, setup.verifier, true)).claims;
      if (assertionSignerFor(c.env)?.expired(claims)) throw new AuthError("token_expired");
      checkAccess(rule, claims, c.var.config.clientId);
    }
    if (claims) {
      for (const [name, value] of Object.entries(identityHeaders(claims))) headers.set(name, value);
    }
    // Never a credential we did not verify; a verified one only when asked to: in an
    // upstream's logs a bearer token is good against Cognito itself.
    // c.get, not c.var: hono builds a new object of all variables for every c.var.
    if (!claims || !c.get("config").forwardAuthorization) headers.delete("Authorization");
    const url = new URL(c.req.url);
    const raw = c.req.raw;
    // The assertion names the URL the upstream gets: the Worker's origin over a binding, the origin's own otherwise.
    const target = "origin" in upstream ? upstream.origin : url.origin;
    await setAssertion(c.env, headers, claims, raw.method, `${target}${encodePath(path)}`, url.origin);
    const res = await forward(upstream, {
      selfOrigin: url.origin,
      pathAndQuery: `${encodePath(path)}${url.search}`,
      method: raw.method,
      headers,
      body: raw.body,
      redirect: raw.redirect,
    });
    c.set("forwarded", true);
    // One copy with our header, so no later middleware has to copy the response again.
    const out = new Response(res.body, res);
    out.headers.set("X-Request-Id", c.get("requestId"));
    withoutOwnSetCookies(out.headers);
    // A session renewed on the way: its new cookies, which the context's headers do not carry onto this answer,
    // and never into a shared cache, whatever the upstream allowed: another user would get this session.
    const renewed = c.get("sessionCookies") ?? [];
    for (const cookie of renewed) out.headers.append("Set-Cookie", cookie);
    if (renewed.length) out.headers.set("Cache-Control", "private, no-store");
    return out;
  };
