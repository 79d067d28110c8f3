// `npm run bench`: (1) our access-token verifier next to raw WebCrypto, inside
// workerd; (2) gateway throughput and latency next to calling the upstream
// directly, under wrangler dev with autocannon. Medians of several rounds.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { resolve } from "node:path";
import autocannon from "autocannon";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { freePort, stop } from "../scripts/cognito-local.mjs";

const ROOT = resolve(import.meta.dirname, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = Number(process.env.BENCH_TOKENS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const GATEWAY_ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 5);
const BUILD = resolve(ROOT, "bench/.build");
const children = [];
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/**
 * Bundles a Worker as `wrangler deploy` would and writes a config that runs the
 * bundle with no_bundle: wrangler dev then keeps no esbuild watcher polling in
 * the background, which otherwise steals a core from the measurement.
 */
function prebuilt(name, toml) {
  const dir = resolve(BUILD, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const source = resolve(BUILD, `${name}.source.toml`);
  writeFileSync(source, toml);
  execFileSync(resolve(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "-c", source, "--outdir", dir], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: WRANGLER_ENV,
  });
  const config = resolve(BUILD, `${name}.toml`);
  const script = readdirSync(dir).find((f) => f.endsWith(".js"));
  writeFileSync(config, toml.replace(/^main = .*$/m, `main = "${name}/${script}"\nno_bundle = true`));
  return config;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString("en-US");

/** A JWKS host: POST sets the key set, GET serves it. */
async function jwksServer() {
  let jwks = { keys: [] };
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (req.method === "POST") jwks = JSON.parse(body);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(req.method === "POST" ? {} : jwks));
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${port}`, set: (value) => (jwks = value) };
}

async function wranglerDev(configs, port) {
  const args = ["dev", ...configs.flatMap((c) => ["-c", c]), "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--inspector-port", String(await freePort()), "--show-interactive-dev-session=false", "--log-level", "error");
  const child = spawn(resolve(ROOT, "node_modules/.bin/wrangler"), args, {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: WRANGLER_ENV,
  });
  children.push(child);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return child;
    } catch {
      if (Date.now() > deadline) throw new Error(`wrangler dev on ${port} did not start`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function benchVerifier(jwks) {
  const port = await freePort();
  const config = prebuilt(
    "verify",
    ['name = "cognito-edge-bench-verify"', 'main = "../verify-worker.ts"', 'compatibility_date = "2026-04-26"', ""].join("\n"),
  );
  await wranglerDev([config], port);
  const base = `http://127.0.0.1:${port}`;
  const call = async (path) => {
    const started = performance.now();
    const res = await fetch(`${base}${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const body = await res.json();
    return { ...body, wallMs: performance.now() - started };
  };
  await call(`/setup?jwks=${encodeURIComponent(jwks.base)}`);
  const rates = { "ours-first": [], "raw-first": [], "ours-repeat": [], "raw-repeat": [] };
  // Round 0 warms the JIT and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    await call(`/sign?n=${N}`);
    const order = round % 2 ? ["raw-first", "ours-first", "raw-repeat", "ours-repeat"] : Object.keys(rates);
    for (const mode of order) {
      // The in-Worker clock ticks in whole milliseconds: time repeated tokens over more calls.
      const n = mode === "ours-repeat" ? N * 100 : mode === "raw-repeat" ? N * 5 : N;
      const r = await call(`/${mode}?n=${n}`);
      // workerd may not advance its clock during CPU work; fall back to the wall clock.
      const ms = r.ms > 0 ? r.ms : r.wallMs;
      if (round > 0) rates[mode].push(r.n / (ms / 1000));
      if (process.env.BENCH_DEBUG) console.log(mode, r.ms.toFixed(1), r.wallMs.toFixed(1));
    }
  }
  const m = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
  console.log(`\nToken verification inside workerd (${N} tokens per round, median of ${ROUNDS} rounds)`);
  console.log(`  first-seen tokens   ours ${fmt(m["ours-first"])}/s   raw WebCrypto ${fmt(m["raw-first"])}/s   ratio ${(m["ours-first"] / m["raw-first"]).toFixed(2)}x`);
  console.log(`  repeated token      ours ${fmt(m["ours-repeat"])}/s   raw WebCrypto ${fmt(m["raw-repeat"])}/s   ratio ${(m["ours-repeat"] / m["raw-repeat"]).toFixed(2)}x`);
}

function load(url, headers) {
  return new Promise((resolveRun, reject) => {
    autocannon({ url, connections: 10, duration: SECONDS, headers }, (err, result) => (err ? reject(err) : resolveRun(result)));
  });
}

/** A config for the trivial upstream under its own name. */
function upstreamConfig(suffix) {
  const config = resolve(BUILD, `upstream-${suffix}.toml`);
  const lines = [`name = "cognito-edge-bench-upstream-${suffix}"`, 'main = "../upstream-worker.js"', "no_bundle = true"];
  writeFileSync(config, [...lines, 'compatibility_date = "2026-04-26"', ""].join("\n"));
  return config;
}

async function benchGateway(jwks) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  jwks.set({ keys: [{ ...(await exportJWK(publicKey)), kid: "gw", alg: "RS256", use: "sig" }] });
  const token = await new SignJWT({ sub: "bench", username: "bench", client_id: "benchclient1", token_use: "access", scope: "openid" })
    .setProtectedHeader({ alg: "RS256", kid: "gw" })
    .setIssuer(jwks.base)
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(privateKey);
  const gatewayConfig = prebuilt(
    "gateway",
    [
      'name = "cognito-edge-bench-gateway"',
      'main = "../../src/index.ts"',
      'compatibility_date = "2026-04-26"',
      "[vars]",
      'AWS_REGION = "us-east-1"',
      'COGNITO_USER_POOL_ID = "us-east-1_bench"',
      'COGNITO_CLIENT_ID = "benchclient1"',
      `COGNITO_ISSUER = "${jwks.base}"`,
      `LOG_LEVEL = "${process.env.BENCH_LOG_LEVEL ?? "info"}"`,
      "[[services]]",
      'binding = "UPSTREAM"',
      'service = "cognito-edge-bench-upstream-gw"',
      "",
    ].join("\n"),
  );
  const forwarderConfig = resolve(BUILD, "forwarder.toml");
  writeFileSync(
    forwarderConfig,
    [
      'name = "cognito-edge-bench-forwarder"',
      'main = "../forwarder-worker.js"',
      "no_bundle = true",
      'compatibility_date = "2026-04-26"',
      "[[services]]",
      'binding = "UPSTREAM"',
      'service = "cognito-edge-bench-upstream-fw"',
      "",
    ].join("\n"),
  );
  const [gwPort, upPort, fwPort] = [await freePort(), await freePort(), await freePort()];
  // Each pair gets its own upstream name: wrangler's dev registry would otherwise
  // route a service binding to another process's Worker of the same name.
  await wranglerDev([gatewayConfig, upstreamConfig("gw")], gwPort);
  await wranglerDev([upstreamConfig("direct")], upPort);
  await wranglerDev([forwarderConfig, upstreamConfig("fw")], fwPort);
  const direct = `http://127.0.0.1:${upPort}/api/items`;
  const gateway = `http://127.0.0.1:${gwPort}/api/items`;
  const forwarder = `http://127.0.0.1:${fwPort}/api/items`;
  const auth = { authorization: `Bearer ${token}` };
  const check = await fetch(gateway, { headers: auth });
  if (check.status !== 200) throw new Error(`gateway answered ${check.status}: ${await check.text()}`);
  await load(direct, {});
  await load(gateway, auth);
  await load(forwarder, {});
  const runs = { direct: [], gateway: [], forwarder: [] };
  const targets = { direct: [direct, {}], gateway: [gateway, auth], forwarder: [forwarder, {}] };
  for (let round = 0; round < GATEWAY_ROUNDS; round++) {
    // Rotate the order so that no target always runs first or last.
    const names = Object.keys(targets);
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      runs[name].push(await load(...targets[name]));
    }
  }
  const summary = (rs) => ({
    rps: median(rs.map((r) => r.requests.average)),
    p50: median(rs.map((r) => r.latency.p50)),
    p99: median(rs.map((r) => r.latency.p99)),
    non2xx: rs.reduce((n, r) => n + r.non2xx + r.errors, 0),
  });
  const d = summary(runs.direct);
  const g = summary(runs.gateway);
  const f = summary(runs.forwarder);
  console.log(
    `\nGateway under wrangler dev (autocannon, 10 connections, ${SECONDS} s x ${GATEWAY_ROUNDS} rounds interleaved, medians; repeated valid token; LOG_LEVEL=${process.env.BENCH_LOG_LEVEL ?? "info"})`,
  );
  console.log(`  upstream directly   ${fmt(d.rps)} req/s   p50 ${d.p50} ms   p99 ${d.p99} ms   non-2xx ${d.non2xx}`);
  console.log(`  through gateway     ${fmt(g.rps)} req/s   p50 ${g.p50} ms   p99 ${g.p99} ms   non-2xx ${g.non2xx}`);
  console.log(`  bare forwarder      ${fmt(f.rps)} req/s   p50 ${f.p50} ms   p99 ${f.p99} ms   non-2xx ${f.non2xx}   (the extra hop alone)`);
  console.log(`  ratio               gateway/direct ${(g.rps / d.rps).toFixed(2)}x   gateway/bare forwarder ${(g.rps / f.rps).toFixed(2)}x`);
}

const jwks = await jwksServer();
try {
  if (process.env.BENCH_ONLY !== "gateway") await benchVerifier(jwks);
  if (process.env.BENCH_ONLY !== "verify") await benchGateway(jwks);
} finally {
  await Promise.all(children.map(stop));
  jwks.server.close();
}
