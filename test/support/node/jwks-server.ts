// A JWKS host for token tests: each test registers its own key set under a
// name and gets its own issuer (`<base>/<name>`), so fetch counts do not mix.
import { createServer, type Server } from "node:http";
import { close, listen } from "./http";

type Mode = "up" | "down" | "slow";

interface KeySet {
  jwks: unknown;
  fetches: number;
  mode: Mode;
}

export class JwksServer {
  private readonly sets = new Map<string, KeySet>();
  private server?: Server;

  async listen(port: number): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(value));
      };
      const [, first, second] = (req.url ?? "/").split("/");
      if (first === "__keys" && req.method === "POST") {
        const set = this.sets.get(second) ?? { jwks: { keys: [] }, fetches: 0, mode: "up" };
        set.jwks = JSON.parse(body);
        this.sets.set(second, set);
        return send(200, {});
      }
      if (first === "__mode" && req.method === "POST") {
        const set = this.sets.get(second);
        if (set) set.mode = JSON.parse(body).mode;
        return send(set ? 200 : 404, {});
      }
      if (first === "__count") return send(200, { fetches: this.sets.get(second)?.fetches ?? 0 });
      const set = this.sets.get(first);
      if (!set || req.url !== `/${first}/.well-known/jwks.json`) return send(404, {});
      set.fetches++;
      if (set.mode === "down") return send(503, { message: "down" });
      if (set.mode === "slow") await new Promise((r) => setTimeout(r, 10_000).unref());
      if (!res.destroyed) send(200, set.jwks);
    });
    await listen(this.server, port);
  }

  close(): Promise<void> {
    return close(this.server);
  }
}
