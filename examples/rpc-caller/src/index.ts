import type { AuthService } from "cognito-edge";

interface Bindings {
  AUTH: Service<AuthService>;
}

export default {
  async fetch(request, env) {
    const token = /^Bearer (\S+)$/.exec(request.headers.get("Authorization") ?? "")?.[1] ?? "";
    const result = await env.AUTH.verify(token);
    if (result.valid) return Response.json({ report: "monthly", for: result.claims.sub });
    return Response.json({ code: result.code }, { status: result.code === "upstream_unavailable" ? 503 : 401 });
  },
} satisfies ExportedHandler<Bindings>;
