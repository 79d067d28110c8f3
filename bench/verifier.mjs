// Token verification inside workerd (bench/verify-worker.ts under wrangler
// dev): our verifier next to raw WebCrypto on the same tokens, first-seen and
// repeated. Medians of rounds.
import { freePort } from "../scripts/cognito-local.mjs";
import { fmt, median, prebuilt, wranglerDev } from "./common.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = Number(process.env.BENCH_TOKENS ?? 2000);

/** @param {{ base: string }} jwks */
export async function benchVerifier(jwks) {
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
