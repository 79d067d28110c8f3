/**
 * The caller as the gateway verified it. Trusted as is: this Worker has no
 * route and no public URL (wrangler.toml), so every request comes through
 * the gateway, which removes any X-Auth-* a client sent and sets its own.
 */
interface Caller {
  sub: string;
  username: string;
  groups: string[];
  scopes: string[];
}

/** The gateway's identity headers; undefined on a public path requested without a token. */
function callerOf(request: Request): Caller | undefined {
  const sub = request.headers.get("X-Auth-Sub");
  if (!sub) return undefined;
  const list = (name: string, separator: string) => (request.headers.get(name) ?? "").split(separator).filter(Boolean);
  return { sub, username: request.headers.get("X-Auth-Username") ?? sub, groups: list("X-Auth-Groups", ","), scopes: list("X-Auth-Scope", " ") };
}

export default {
  async fetch(request) {
    const caller = callerOf(request);
    const { pathname } = new URL(request.url);
    if (pathname === "/orders" && caller) return Response.json({ owner: caller.sub, groups: caller.groups, orders: [] });
    if (pathname === "/orders") return Response.json({ code: "unauthorized" }, { status: 401 });
    return Response.json({ code: "not_found" }, { status: 404 });
  },
} satisfies ExportedHandler;
