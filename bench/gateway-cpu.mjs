// The Worker's own time per gateway request, inside workerd
// (bench/gateway-cpu-worker.ts under wrangler dev): the bearer token against a
// gateway without session mode and against one with SESSION_MODE=browser, and
// that one's session cookies. autocannon through wrangler dev measures the
// whole trip, whose proxy and hop take most of it; this measures what the
// credential changes. Medians of interleaved rounds, each of many requests.
import { fmtRatios, ratios } from "./baseline.mjs";
import { median, prebuilt, wranglerDev } from "./common.mjs";
import { freePort } from "../scripts/cognito-local.mjs";

const ROUNDS = Number(process.env.BENCH_CPU_ROUNDS ?? 11);
const REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 4000);

/**
 * @param {Record<string, string>} base the variables of the gateway without session mode
 * @param {Record<string, string>} session the variables session mode adds
 * @param {string} token the bearer token
 * @param {() => Promise<Record<string, string>>} sessionHeaders a browser's headers with a new session cookie
 */
export async function benchGatewayCpu(base, session, token, sessionHeaders) {
  const port = await freePort();
  const config = prebuilt(
    "gateway-cpu",
    ['name = "cognito-edge-bench-gateway-cpu"', 'main = "../gateway-cpu-worker.ts"', 'compatibility_date = "2026-04-26"', ""].join("\n"),
  );
  await wranglerDev([config], port);
  const auth = { authorization: `Bearer ${token}` };
  const modes = {
    gateway: [base, async () => auth],
    sessionBearer: [{ ...base, ...session }, async () => auth],
    session: [{ ...base, ...session }, sessionHeaders],
  };
  const run = async (name, n) => {
    const [vars, headersOf] = modes[name];
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: JSON.stringify({ vars, headers: await headersOf(), n }) });
    if (!res.ok) throw new Error(`gateway-cpu ${name}: ${await res.text()}`);
    const { ms } = await res.json();
    return (ms * 1000) / n;
  };
  for (const name of Object.keys(modes)) await run(name, 200);
  const us = Object.fromEntries(Object.keys(modes).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const names = Object.keys(modes);
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      us[name].push(await run(name, REQUESTS));
    }
  }
  console.log(
    `\nThe Worker's own time per gateway request, inside workerd (its fetch handler in a loop, an upstream that answers at once; ${REQUESTS} requests x ${ROUNDS} rounds interleaved, medians)`,
  );
  console.log(`  gateway, bearer              ${median(us.gateway).toFixed(0)} us`);
  console.log(`  session mode, bearer         ${median(us.sessionBearer).toFixed(0)} us`);
  console.log(`  session mode, cookie         ${median(us.session).toFixed(0)} us`);
  console.log(`  session/bearer (same Worker), time per request: ${fmtRatios(ratios(us.session, us.sessionBearer))}   (below 1.10 meets issue 21)`);
  console.log(`  session/bearer without session mode, time per request: ${fmtRatios(ratios(us.session, us.gateway))}`);
}
