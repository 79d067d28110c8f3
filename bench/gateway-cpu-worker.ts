// Benchmark Worker (bench/gateway-cpu.mjs drives it under wrangler dev): the
// Worker's own time per gateway request, without the hop or wrangler's proxy.
// It calls the Worker's fetch handler (src/index.ts) in a loop with one
// request's headers, against an upstream binding that answers at once.
import worker from "../src/index";
import type { WorkerEnv } from "../src/types";

/** An upstream binding that answers 200 at once: only the Worker's side of the hop is timed. */
const upstream = { fetch: async () => new Response("ok") } as unknown as Fetcher;
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
/** One env per set of variables, kept: the Worker holds its configuration, verifier and caches per env. */
const envs = new Map<string, WorkerEnv>();

interface Run {
  vars: Record<string, string>;
  headers: Record<string, string>;
  n: number;
}

export default {
  async fetch(request: Request): Promise<Response> {
    // wrangler dev's readiness probe (bench/common.mjs) is a GET.
    if (request.method !== "POST") return new Response("POST a run");
    const { vars, headers, n } = (await request.json()) as Run;
    const key = JSON.stringify(vars);
    let env = envs.get(key);
    if (!env) envs.set(key, (env = { ...vars, UPSTREAM: upstream } as unknown as WorkerEnv));
    // Built before the clock starts: a request arrives parsed.
    const requests = Array.from({ length: n }, () => new Request("https://gateway.bench/api/items", { headers }));
    const started = performance.now();
    for (const req of requests) {
      const res = await worker.fetch(req, env, ctx);
      if (res.status !== 200) return new Response(`answered ${res.status}: ${await res.text()}`, { status: 502 });
      if (res.headers.has("Set-Cookie")) return new Response("answered Set-Cookie: the session was renewed", { status: 502 });
      await res.arrayBuffer();
    }
    return Response.json({ n, ms: performance.now() - started });
  },
};
