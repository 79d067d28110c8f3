// `npm run bench`: (1) token verification inside workerd — ours, hono's
// verifyWithJwks and raw WebCrypto; (2) gateway throughput and latency next to
// calling the upstream directly, under wrangler dev with autocannon; (3) the
// Worker's startup CPU next to an empty Worker's (`wrangler check startup`).
// Medians of several rounds. `npm run bench -- --verify|--gateway|--startup`
// runs only the parts named. `--baseline <git ref>` also measures that ref's
// Worker, interleaved with the working tree's in every part, and prints the
// ratios current/baseline with the spread of the rounds.
import { checkoutBaseline } from "./baseline.mjs";
import { stopAll } from "./common.mjs";
import { benchGateway } from "./gateway.mjs";
import { jwksHost } from "./jwks-host.mjs";
import { benchStartup } from "./startup.mjs";
import { benchVerifier } from "./verifier.mjs";

const PARTS = ["verify", "gateway", "startup"];
const args = process.argv.slice(2);
let baselineRef;
const named = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--baseline") baselineRef = args[++i];
  else if (arg.startsWith("--baseline=")) baselineRef = arg.slice("--baseline=".length);
  else named.push(arg.replace(/^--/, ""));
}
if (args.some((a) => a === "--baseline" || a === "--baseline=") && !baselineRef) {
  console.error("--baseline needs a git ref, e.g. --baseline main");
  process.exit(2);
}
const unknown = named.filter((p) => !PARTS.includes(p));
if (unknown.length) {
  console.error(`unknown part ${unknown.join(", ")}; parts: ${PARTS.map((p) => `--${p}`).join(" ")}; --baseline <git ref>`);
  process.exit(2);
}
// BENCH_ONLY=verify|gateway|startup is the older way to name one part.
const parts = named.length ? named : process.env.BENCH_ONLY ? [process.env.BENCH_ONLY] : PARTS;

const started = performance.now();
const baseline = baselineRef ? checkoutBaseline(baselineRef) : undefined;
if (baseline) console.log(`Baseline: ${baseline.ref} (${baseline.short}), measured in the same run, interleaved with the working tree`);
const jwks = parts.includes("verify") || parts.includes("gateway") ? await jwksHost() : undefined;
try {
  if (jwks && parts.includes("verify")) await benchVerifier(jwks, baseline);
  if (jwks && parts.includes("gateway")) await benchGateway(jwks, baseline);
  if (parts.includes("startup")) await benchStartup(baseline);
} finally {
  await stopAll();
  jwks?.close();
  baseline?.remove();
}
console.log(`\n(${((performance.now() - started) / 60_000).toFixed(1)} min)`);
