// `npm run bench`: (1) token verification inside workerd — ours, hono's
// verifyWithJwks and raw WebCrypto; (2) gateway throughput and latency next to
// calling the upstream directly, under wrangler dev with autocannon; (3) the
// Worker's startup CPU next to an empty Worker's (`wrangler check startup`).
// Medians of several rounds. `npm run bench -- --verify|--gateway|--startup`
// runs only the parts named.
import { stopAll } from "./common.mjs";
import { benchGateway } from "./gateway.mjs";
import { jwksHost } from "./jwks-host.mjs";
import { benchStartup } from "./startup.mjs";
import { benchVerifier } from "./verifier.mjs";

const PARTS = ["verify", "gateway", "startup"];
const named = process.argv.slice(2).map((a) => a.replace(/^--/, ""));
const unknown = named.filter((p) => !PARTS.includes(p));
if (unknown.length) {
  console.error(`unknown part ${unknown.join(", ")}; parts: ${PARTS.map((p) => `--${p}`).join(" ")}`);
  process.exit(2);
}
// BENCH_ONLY=verify|gateway|startup is the older way to name one part.
const parts = named.length ? named : process.env.BENCH_ONLY ? [process.env.BENCH_ONLY] : PARTS;

const jwks = parts.includes("verify") || parts.includes("gateway") ? await jwksHost() : undefined;
try {
  if (jwks && parts.includes("verify")) await benchVerifier(jwks);
  if (jwks && parts.includes("gateway")) await benchGateway(jwks);
  if (parts.includes("startup")) await benchStartup();
} finally {
  await stopAll();
  jwks?.close();
}
