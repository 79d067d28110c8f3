// Gateway throughput and latency under wrangler dev with autocannon: through
// the gateway, the gateway with GATEWAY_RULES, the upstream directly, and a bare
// forwarding Worker (the cost of the extra hop alone). A gateway with
// SESSION_MODE=browser is called with the bearer token and with a browser
// session's cookies instead. Medians of interleaved rounds. With a baseline,
// its src/index.ts runs as a further gateway, with the same variables as the
// one without rules, in the rotation.
import { writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import autocannon from "autocannon";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { freePort } from "../scripts/cognito-local.mjs";
import { fmtRatios, ratios } from "./baseline.mjs";
import { BUILD, fmt, median, prebuilt, wranglerDev } from "./common.mjs";
import { benchGatewayCpu } from "./gateway-cpu.mjs";
import { benchSecret, cognitoStub, sessionMinter } from "./session-target.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const GATEWAY_ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 5);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "info";

/**
 * `headers`, or a function that gives them for each run; `uniquePaths`: every
 * request to a URL of its own (/api/items/<n>), so that no signed assertion is reused.
 */
async function load(url, headersOf, uniquePaths = false) {
  const headers = typeof headersOf === "function" ? await headersOf() : headersOf;
  let n = 0;
  const requests = uniquePaths ? [{ setupRequest: (req) => ({ ...req, path: `/api/items/${n++}` }) }] : undefined;
  return new Promise((resolveRun, reject) => {
    autocannon({ url, connections: 10, duration: SECONDS, headers, requests }, (err, result) => (err ? reject(err) : resolveRun(result)));
  });
}

/** A config for the trivial upstream under its own name. */
function upstreamConfig(suffix) {
  const config = resolve(BUILD, `upstream-${suffix}.toml`);
  const lines = [`name = "cognito-edge-bench-upstream-${suffix}"`, 'main = "../upstream-worker.js"', "no_bundle = true"];
  writeFileSync(config, [...lines, 'compatibility_date = "2026-04-26"', ""].join("\n"));
  return config;
}

function forwarderConfig() {
  const config = resolve(BUILD, "forwarder.toml");
  writeFileSync(
    config,
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
  return config;
}

/**
 * The rule set of the "with rules" gateway: a team's API of a few dozen rules,
 * one of which (`/api scope=openid`, under a longer and a method's rule) the
 * benchmarked path meets.
 */
const RULES = [
  "/public public",
  "/api scope=openid",
  "/api/admin group=admin",
  "POST,PATCH /api/items group=clerks",
  ...Array.from({ length: 40 }, (_, i) => `/svc${i}/v1 scope=svc${i}/read`),
].join("\n");

/**
 * A gateway Worker built from `main` (relative to bench/.build/), forwarding to
 * its own upstream name. Both trees get the same variables: no EDGE_SECRET,
 * which newer trees need only for /auth routes, not for the gateway. `rules`:
 * GATEWAY_RULES, for the current tree only.
 */
function gatewayConfig(issuer, name, main, upstream, rules, vars = []) {
  return prebuilt(
    name,
    [
      `name = "cognito-edge-bench-${name}"`,
      `main = "${main}"`,
      'compatibility_date = "2026-04-26"',
      "[vars]",
      'AWS_REGION = "us-east-1"',
      'COGNITO_USER_POOL_ID = "us-east-1_bench"',
      'COGNITO_CLIENT_ID = "benchclient1"',
      `COGNITO_ISSUER = "${issuer}"`,
      `LOG_LEVEL = "${LOG_LEVEL}"`,
      ...(rules ? [`GATEWAY_RULES = """\n${rules}\n"""`] : []),
      ...vars,
      "[[services]]",
      'binding = "UPSTREAM"',
      `service = "cognito-edge-bench-upstream-${upstream}"`,
      "",
    ].join("\n"),
  );
}

/**
 * @param {{ base: string, set: (jwks: unknown) => void }} jwks
 * @param {{ ref: string, short: string, dir: string } | undefined} baseline
 */
export async function benchGateway(jwks, baseline) {
  const cognito = await cognitoStub();
  try {
    await measure(jwks, baseline, cognito);
  } finally {
    cognito.close();
  }
}

async function measure(jwks, baseline, cognito) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  jwks.set({ keys: [{ ...(await exportJWK(publicKey)), kid: "gw", alg: "RS256", use: "sig" }] });
  // Shaped as a Cognito access token (its claims, so its length: about 1 KB), so
  // that the Authorization header and the session cookie have their real sizes.
  const sub = crypto.randomUUID();
  const token = await new SignJWT({
    sub,
    "cognito:groups": ["clerks"],
    version: 2,
    client_id: "benchclient1",
    origin_jti: crypto.randomUUID(),
    event_id: crypto.randomUUID(),
    token_use: "access",
    scope: "openid profile email aws.cognito.signin.user.admin",
    auth_time: Math.floor(Date.now() / 1000),
    jti: crypto.randomUUID(),
    username: sub,
  })
    .setProtectedHeader({ alg: "RS256", kid: "gw" })
    .setIssuer(jwks.base)
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(privateKey);
  const [gwPort, rulesPort, upPort, fwPort, asPort, sessPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  // The gateway with rules that also signs identities (X-Auth-Assertion) with a new ES256 key.
  const signing = await generateKeyPair("ES256", { extractable: true });
  const signingKey = JSON.stringify({ ...(await exportJWK(signing.privateKey)), kid: "bench" });
  const assertionVars = [`GATEWAY_SIGNING_KEY = '${signingKey}'`, 'GATEWAY_ASSERTION_AUDIENCE = "bench-api"'];
  // Each pair gets its own upstream name: wrangler's dev registry would otherwise
  // route a service binding to another process's Worker of the same name.
  await wranglerDev([gatewayConfig(jwks.base, "gateway", "../../src/index.ts", "gw"), upstreamConfig("gw")], gwPort);
  await wranglerDev([gatewayConfig(jwks.base, "gateway-rules", "../../src/index.ts", "rules", RULES), upstreamConfig("rules")], rulesPort);
  await wranglerDev([upstreamConfig("direct")], upPort);
  await wranglerDev([forwarderConfig(), upstreamConfig("fw")], fwPort);
  await wranglerDev([gatewayConfig(jwks.base, "gateway-assertion", "../../src/index.ts", "as", RULES, assertionVars), upstreamConfig("as")], asPort);
  // The gateway in session mode, without rules, as the first gateway otherwise. A
  // session's re-check (GetUser, src/session/renew.ts) goes to the stand-in.
  const secret = benchSecret();
  const sessionVars = ['SESSION_MODE = "browser"', `EDGE_SECRET = "${secret}"`, `COGNITO_ENDPOINT = "${cognito.base}"`];
  await wranglerDev([gatewayConfig(jwks.base, "gateway-session", "../../src/index.ts", "sess", undefined, sessionVars), upstreamConfig("sess")], sessPort);
  const auth = { authorization: `Bearer ${token}` };
  // The same token in a session sealed by the Worker's code. A new cookie for
  // every run, confirmed by Cognito as it starts: the 60 s re-check never comes
  // due within a run (the stand-in counts any GetUser), and each run's first
  // request opens its cookie once, as a browser's first request after a re-check does.
  if (SECONDS >= 55) throw new Error("BENCH_SECONDS must stay under the session re-check's 60 s");
  const benchSession = await sessionMinter();
  const minted = () => benchSession(secret, "benchclient1", token, sub);
  const sessionHeaders = async () => ({ cookie: (await minted()).cookie, "sec-fetch-site": "same-origin" });
  const targets = {
    direct: [`http://127.0.0.1:${upPort}/api/items`, {}],
    gateway: [`http://127.0.0.1:${gwPort}/api/items`, auth],
    rules: [`http://127.0.0.1:${rulesPort}/api/items`, auth],
    forwarder: [`http://127.0.0.1:${fwPort}/api/items`, {}],
    assertion: [`http://127.0.0.1:${asPort}/api/items`, auth],
    assertionEachUrl: [`http://127.0.0.1:${asPort}/api/items`, auth, true],
    sessionBearer: [`http://127.0.0.1:${sessPort}/api/items`, auth],
    session: [`http://127.0.0.1:${sessPort}/api/items`, sessionHeaders],
  };
  if (baseline) {
    const basePort = await freePort();
    const main = relative(BUILD, resolve(baseline.dir, "src/index.ts"));
    await wranglerDev([gatewayConfig(jwks.base, "gateway-baseline", main, "base"), upstreamConfig("base")], basePort);
    targets.baseline = [`http://127.0.0.1:${basePort}/api/items`, auth];
  }
  for (const name of ["gateway", "rules", "baseline", "assertion", "sessionBearer", "session"].filter((n) => targets[n])) {
    const check = await fetch(targets[name][0], { headers: name === "session" ? await sessionHeaders() : auth });
    if (check.status !== 200) throw new Error(`${name} answered ${check.status}: ${await check.text()}`);
    // A renewed session would answer new cookies: the session target measures a session that needs nothing.
    if (check.headers.getSetCookie().length) throw new Error(`${name} answered Set-Cookie: the session was renewed`);
  }
  const { cookie: cookieHeader, setCookieBytes } = await minted();
  const getUsersBefore = cognito.calls();
  for (const target of Object.values(targets)) await load(...target);
  const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
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
  const r = summary(runs.rules);
  const b = baseline && summary(runs.baseline);
  const a = summary(runs.assertion);
  const ae = summary(runs.assertionEachUrl);
  const sb = summary(runs.sessionBearer);
  const ss = summary(runs.session);
  console.log(
    `\nGateway under wrangler dev (autocannon, 10 connections, ${SECONDS} s x ${GATEWAY_ROUNDS} rounds interleaved, medians; repeated valid token; LOG_LEVEL=${LOG_LEVEL})`,
  );
  console.log(`  upstream directly   ${fmt(d.rps)} req/s   p50 ${d.p50} ms   p99 ${d.p99} ms   non-2xx ${d.non2xx}`);
  console.log(`  through gateway     ${fmt(g.rps)} req/s   p50 ${g.p50} ms   p99 ${g.p99} ms   non-2xx ${g.non2xx}`);
  console.log(
    `  gateway with rules  ${fmt(r.rps)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   non-2xx ${r.non2xx}   (${RULES.split("\n").length} GATEWAY_RULES)`,
  );
  if (b) console.log(`  gateway at ${baseline.short.padEnd(9)}${fmt(b.rps)} req/s   p50 ${b.p50} ms   p99 ${b.p99} ms   non-2xx ${b.non2xx}`);
  console.log(`  rules, signed id    ${fmt(a.rps)} req/s   p50 ${a.p50} ms   p99 ${a.p99} ms   non-2xx ${a.non2xx}   (and X-Auth-Assertion, one URL: reused)`);
  console.log(
    `  signed, URL each    ${fmt(ae.rps)} req/s   p50 ${ae.p50} ms   p99 ${ae.p99} ms   non-2xx ${ae.non2xx}   (a new URL every request: one signature each)`,
  );
  console.log(`  bare forwarder      ${fmt(f.rps)} req/s   p50 ${f.p50} ms   p99 ${f.p99} ms   non-2xx ${f.non2xx}   (the extra hop alone)`);
  console.log(
    `  session mode, bearer ${fmt(sb.rps)} req/s   p50 ${sb.p50} ms   p99 ${sb.p99} ms   non-2xx ${sb.non2xx}   (SESSION_MODE=browser, Authorization: Bearer)`,
  );
  console.log(
    `  session mode, cookie ${fmt(ss.rps)} req/s   p50 ${ss.p50} ms   p99 ${ss.p99} ms   non-2xx ${ss.non2xx}   (the same Worker, the session's cookies instead)`,
  );
  console.log(`  ratio               gateway/direct ${(g.rps / d.rps).toFixed(2)}x   gateway/bare forwarder ${(g.rps / f.rps).toFixed(2)}x`);
  const rps = (name) => runs[name].map((run) => run.requests.average);
  console.log(`  with rules/without, req/s: ${fmtRatios(ratios(rps("rules"), rps("gateway")))}   (above 1 is faster)`);
  console.log(
    `  rules and signed id/without, req/s: ${fmtRatios(ratios(rps("assertion"), rps("gateway")))}; URL each: ${fmtRatios(ratios(rps("assertionEachUrl"), rps("gateway")))}`,
  );
  const p50 = (name) => runs[name].map((run) => run.latency.p50);
  const p99 = (name) => runs[name].map((run) => run.latency.p99);
  console.log(
    `  session/bearer, cost per request (bearer req/s / session req/s): ${fmtRatios(ratios(rps("sessionBearer"), rps("session")))}   (below 1.10 meets issue 21)`,
  );
  const mean = (name) => runs[name].map((run) => run.latency.average);
  console.log(`  session/bearer, mean latency: ${fmtRatios(ratios(mean("session"), mean("sessionBearer")))}`);
  console.log(`  session/bearer, p50: ${fmtRatios(ratios(p50("session"), p50("sessionBearer")))}`);
  console.log(`  session/bearer, p99: ${fmtRatios(ratios(p99("session"), p99("sessionBearer")))}`);
  console.log(`  session cookie/gateway without session mode, cost per request: ${fmtRatios(ratios(rps("gateway"), rps("session")))}`);
  console.log(
    `  session: Cookie header ${cookieHeader.length} bytes (Authorization: ${auth.authorization.length}), its Set-Cookie ${setCookieBytes}; Cognito GetUser calls while timing: ${cognito.calls() - getUsersBefore} (re-check due after 60 s; each run starts with a new cookie)`,
  );
  if (b) {
    console.log(
      `  ratio at ${baseline.short.padEnd(10)} gateway/direct ${(b.rps / d.rps).toFixed(2)}x   gateway/bare forwarder ${(b.rps / f.rps).toFixed(2)}x`,
    );
    console.log(`  current/baseline ${baseline.ref}, req/s: ${fmtRatios(ratios(rps("gateway"), rps("baseline")))}   (above 1 is faster)`);
    console.log(`  with rules/baseline ${baseline.ref}, req/s: ${fmtRatios(ratios(rps("rules"), rps("baseline")))}   (above 1 is faster)`);
    console.log(`  rules and signed id/baseline ${baseline.ref}, req/s: ${fmtRatios(ratios(rps("assertion"), rps("baseline")))}   (above 1 is faster)`);
  }
  // The same three without the trip: the variables of the gateways above, less the access log line per request.
  const cpuVars = {
    AWS_REGION: "us-east-1",
    COGNITO_USER_POOL_ID: "us-east-1_bench",
    COGNITO_CLIENT_ID: "benchclient1",
    COGNITO_ISSUER: jwks.base,
    LOG_LEVEL: "error",
  };
  const getUsersCpu = cognito.calls();
  await benchGatewayCpu(cpuVars, { SESSION_MODE: "browser", EDGE_SECRET: secret, COGNITO_ENDPOINT: cognito.base }, token, sessionHeaders);
  console.log(`  Cognito GetUser calls while timing: ${cognito.calls() - getUsersCpu}`);
}
