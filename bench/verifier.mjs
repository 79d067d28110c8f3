// Token verification inside workerd (bench/verify-worker.ts under wrangler
// dev): our verifier next to hono's verifyWithJwks — the function behind its
// `jwk` middleware, with static keys and with `jwks_uri` — and raw WebCrypto,
// on the same tokens, first-seen and repeated. Medians of rounds; JWKS
// fetches made while timing are counted at the JWKS host. With a baseline, its
// verifier runs in a second Worker (the same harness) and its modes join the
// shuffled rounds.
import { relative } from "node:path";
import { freePort } from "../scripts/cognito-local.mjs";
import { baselineVerifyWorker, fmtRatios, ratios } from "./baseline.mjs";
import { BUILD, fmt, median, prebuilt, ratio, wranglerDev } from "./common.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = Number(process.env.BENCH_TOKENS ?? 2000);

const VERIFIERS = {
  ours: "ours (cognito-edge)",
  "hono-keys": "hono verifyWithJwks, keys",
  "hono-uri": "hono verifyWithJwks, jwks_uri",
  raw: "raw WebCrypto",
};
const KINDS = ["first", "repeat"];

/**
 * Verifications per timed call. The in-Worker clock ticks in whole
 * milliseconds, so fast modes get more; hono with jwks_uri fetches the JWKS
 * for every token and gets fewer, to keep a round short.
 */
function countFor(verifier, kind) {
  if (verifier === "hono-uri") return Math.max(50, Math.round(N / 5));
  if (kind === "first") return N;
  return verifier === "ours" || verifier === "baseline" ? N * 100 : N * 5;
}

/**
 * A new order each round (seeded, so runs repeat): no mode always runs first,
 * last or right after hono's jwks_uri mode, whose fetches leave garbage behind.
 */
function shuffled(items, seed) {
  const out = [...items];
  let x = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Starts a prebuilt verification Worker and returns a caller of its paths. */
async function startWorker(name, main) {
  const port = await freePort();
  const config = prebuilt(name, [`name = "cognito-edge-bench-${name}"`, `main = "${main}"`, 'compatibility_date = "2026-04-26"', ""].join("\n"));
  await wranglerDev([config], port);
  return async (path) => {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    if (!res.ok) throw new Error(`${name} ${path}: ${res.status} ${await res.text()}`);
    const body = await res.json();
    return { ...body, wallMs: performance.now() - started };
  };
}

/**
 * @param {{ base: string, fetches: () => number }} jwks
 * @param {{ ref: string, short: string, dir: string } | undefined} baseline
 */
export async function benchVerifier(jwks, baseline) {
  const workers = { current: await startWorker("verify", "../verify-worker.ts") };
  if (baseline) workers.baseline = await startWorker("verify-baseline", relative(BUILD, baselineVerifyWorker(baseline)));
  for (const call of Object.values(workers)) await call(`/setup?jwks=${encodeURIComponent(jwks.base)}`);
  const verifiers = baseline ? [...Object.keys(VERIFIERS), "baseline"] : Object.keys(VERIFIERS);
  const modes = verifiers.flatMap((v) => KINDS.map((k) => `${v}-${k}`));
  const rates = Object.fromEntries(modes.map((m) => [m, []]));
  const fetched = Object.fromEntries(verifiers.map((v) => [v, { fetches: 0, verifications: 0 }]));
  // Round 0 warms the JIT and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const call of Object.values(workers)) await call(`/sign?n=${N}`);
    for (const mode of shuffled(modes, round)) {
      const [verifier, kind] = [mode.slice(0, mode.lastIndexOf("-")), mode.slice(mode.lastIndexOf("-") + 1)];
      const before = jwks.fetches();
      // The baseline Worker's verifier is its "ours".
      const path = verifier === "baseline" ? `/ours-${kind}` : `/${mode}`;
      const r = await workers[verifier === "baseline" ? "baseline" : "current"](`${path}?n=${countFor(verifier, kind)}`);
      // workerd may not advance its clock during CPU work; fall back to the wall clock.
      const ms = r.ms > 0 ? r.ms : r.wallMs;
      if (round > 0) {
        rates[mode].push(r.n / (ms / 1000));
        fetched[verifier].fetches += jwks.fetches() - before;
        fetched[verifier].verifications += r.n;
      }
      if (process.env.BENCH_DEBUG) console.log(mode, r.n, r.ms.toFixed(1), r.wallMs.toFixed(1));
    }
  }
  const m = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
  print(m, fetched, baseline);
  // How far the rounds fell apart: on a shared machine this, not the third digit, is the precision.
  const [mode, spread] = Object.entries(rates)
    .map(([k, v]) => [k, Math.max(...v) / Math.min(...v)])
    .reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`  rounds: the widest max/min was ${spread.toFixed(2)}x (${mode})`);
  if (baseline) {
    for (const kind of KINDS) {
      const label = `current/baseline ${baseline.ref}, ${kind === "first" ? "first-seen" : "repeated"}:`;
      console.log(`  ${label.padEnd(38)} ${fmtRatios(ratios(rates[`ours-${kind}`], rates[`baseline-${kind}`]))}   (verifications/s: above 1 is faster)`);
    }
  }
  return m;
}

function print(m, fetched, baseline) {
  console.log(`\nToken verification inside workerd (verifications/s, median of ${ROUNDS} rounds of ${N} fresh tokens; "ours Nx" = ours / that)`);
  console.log(`  ${"".padEnd(31)} ${"first-seen".padStart(12).padEnd(27)}${"repeated".padStart(12)}`);
  const labels = baseline ? { ...VERIFIERS, baseline: `ours at ${baseline.short}` } : VERIFIERS;
  for (const [verifier, label] of Object.entries(labels)) {
    const cells = KINDS.map((kind) => {
      const rate = m[`${verifier}-${kind}`];
      const vs = verifier === "ours" ? "" : `ours ${ratio(m[`ours-${kind}`], rate)}`;
      return `${`${fmt(rate)}/s`.padStart(12)}  ${vs.padEnd(13)}`;
    });
    console.log(`  ${label.padEnd(31)} ${cells.join("")}`.trimEnd());
  }
  const f = (v) => `${fmt(fetched[v].fetches)} for ${fmt(fetched[v].verifications)} verifications`;
  const atBaseline = baseline ? `; ours at ${baseline.short} ${f("baseline")}` : "";
  console.log(`  JWKS fetches while timed: ours ${f("ours")}; hono jwks_uri ${f("hono-uri")}; hono keys ${f("hono-keys")}${atBaseline}`);
}
