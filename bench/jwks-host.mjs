// The JWKS host of the benchmarks: POST adds keys (replacing any of the same
// kid, so the Workers of both trees can each post their own), GET serves the
// set and is counted, so a verifier that fetches the JWKS per token shows it.
import { createServer } from "node:http";
import { freePort } from "../scripts/cognito-local.mjs";

export async function jwksHost() {
  let jwks = { keys: [] };
  let fetches = 0;
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (req.method === "POST") {
      const added = JSON.parse(body).keys;
      const kids = new Set(added.map((k) => k.kid));
      jwks = { keys: [...jwks.keys.filter((k) => !kids.has(k.kid)), ...added] };
    } else fetches++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(req.method === "POST" ? {} : jwks));
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${port}`,
    set: (value) => (jwks = value),
    /** GET requests served so far. */
    fetches: () => fetches,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
