// What the gateway benchmark's session target needs besides the Worker: the
// sealing code of the working tree (bench/session-cookie.ts, bundled with
// esbuild) to mint a session cookie in Node, and a stand-in for Cognito that
// answers GetUser and counts the calls.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { freePort } from "../scripts/cognito-local.mjs";
import { BUILD, ROOT } from "./common.mjs";

/** A new EDGE_SECRET for the session Worker: 32 random bytes, base64url. */
export const benchSecret = () => randomBytes(32).toString("base64url");

/** benchSession of bench/session-cookie.ts, built from the working tree's src/. */
export async function sessionMinter() {
  const outfile = resolve(BUILD, "session-cookie.mjs");
  await build({ entryPoints: [resolve(ROOT, "bench/session-cookie.ts")], bundle: true, format: "esm", platform: "neutral", outfile, logLevel: "warning" });
  return (await import(pathToFileURL(outfile).href)).benchSession;
}

/**
 * COGNITO_ENDPOINT of the session Worker: answers GetUser (the session's
 * re-check, src/session/renew.ts) as Cognito would for a live token, and
 * anything else with 400. `calls()`: the GetUser calls so far.
 */
export async function cognitoStub() {
  let calls = 0;
  const server = createServer(async (req, res) => {
    for await (const _ of req);
    const target = String(req.headers["x-amz-target"] ?? "");
    res.setHeader("content-type", "application/x-amz-json-1.1");
    if (target.endsWith(".GetUser")) {
      calls++;
      res.end(JSON.stringify({ Username: "bench", UserAttributes: [{ Name: "sub", Value: "bench" }] }));
    } else {
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: "InvalidParameterException", message: "not in the benchmark" }));
    }
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${port}/`,
    calls: () => calls,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
