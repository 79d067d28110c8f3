import { createRemoteJWKSet, customFetch, type JWTPayload, jwtVerify } from "jose";

interface Env {
  /** The gateway's `iss`: its origin (https://api.example.com), or its GATEWAY_ASSERTION_ISSUER. */
  GATEWAY_ISSUER: string;
  /** The gateway's GATEWAY_ASSERTION_AUDIENCE: assertions made for another API are refused. */
  GATEWAY_AUDIENCE: string;
  /** Optional: the gateway Worker, to fetch its JWKS over a service binding instead of the internet. */
  GATEWAY?: Fetcher;
}

/** The claims of the gateway's assertion (docs/API.md, Signed identity). */
interface Assertion extends JWTPayload {
  sub: string;
  kind: "user" | "client";
  username?: string;
  client_id: string;
  groups: string[];
  scope: string;
  htm: string;
  htu: string;
}

/** The gateway's public keys, fetched once and cached by jose (an unknown kid fetches again, at most every 30 s). */
let keys: ReturnType<typeof createRemoteJWKSet> | undefined;

/**
 * The caller, when the request carries a valid assertion of the gateway made
 * for exactly this method and URL; undefined otherwise (no header, a forged
 * or expired one, one made for another API or another request).
 */
async function callerOf(request: Request, env: Env): Promise<Assertion | undefined> {
  const token = request.headers.get("X-Auth-Assertion");
  if (!token) return undefined;
  keys ??= createRemoteJWKSet(new URL(`${env.GATEWAY_ISSUER}/.well-known/jwks.json`), {
    [customFetch]: (url, init) => (env.GATEWAY ? env.GATEWAY.fetch(url, init) : fetch(url, init)),
  });
  try {
    const { payload } = await jwtVerify<Assertion>(token, keys, { issuer: env.GATEWAY_ISSUER, audience: env.GATEWAY_AUDIENCE, algorithms: ["ES256"] });
    // Made for this request: an assertion for GET /orders is no good for DELETE /orders/7.
    const url = new URL(request.url);
    return payload.htm === request.method && payload.htu === `${url.origin}${url.pathname}` ? payload : undefined;
  } catch {
    return undefined;
  }
}

export default {
  async fetch(request, env) {
    const caller = await callerOf(request, env);
    if (!caller) return Response.json({ code: "unauthorized" }, { status: 401 });
    const { pathname } = new URL(request.url);
    if (pathname === "/orders" && request.method === "GET") return Response.json({ owner: caller.sub, kind: caller.kind, groups: caller.groups, orders: [] });
    if (pathname === "/orders" && request.method === "POST") return Response.json({ owner: caller.sub, created: true }, { status: 201 });
    return Response.json({ code: "not_found" }, { status: 404 });
  },
} satisfies ExportedHandler<Env>;
