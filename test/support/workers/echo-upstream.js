// Auxiliary Worker for gateway tests: answers with what it received. Bound twice
// (vitest.config.ts): its X-Upstream header says which binding answered.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/status/502") return new Response("bad gateway from upstream", { status: 502 });
    if (url.pathname.endsWith("/redirect")) return new Response(null, { status: 302, headers: { Location: "https://elsewhere.example/landing" } });
    const body = await request.arrayBuffer();
    const digest = await crypto.subtle.digest("SHA-256", body);
    return Response.json(
      {
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        bodyLength: body.byteLength,
        bodySha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""),
      },
      { headers: { "X-Upstream": env.UPSTREAM_NAME ?? "echo" } },
    );
  },
};
