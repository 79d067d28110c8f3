// Startup CPU: `wrangler check startup` runs a Worker's bundle in workerd under
// the V8 profiler, from before its module is imported to after the first
// request, and writes a .cpuprofile. Run on our Worker (the bundle `wrangler
// deploy` would upload) and on an empty Worker, interleaved; medians. With a
// baseline, its bundle (built from its own wrangler.toml) joins the rotation.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fmtRatios, ratios } from "./baseline.mjs";
import { BUILD, ROOT, fmt, median, wrangler } from "./common.mjs";

// A run takes about 2 s; the ratio to a baseline gets more of them, for its spread.
const runsFor = (baseline) => Number(process.env.BENCH_STARTUP_RUNS ?? (baseline ? 9 : 5));
const DIR = resolve(BUILD, "startup");

/**
 * The CPU time of a profile: the sum of the sample intervals whose sample
 * caught the isolate busy (any node but "(idle)"). V8 records each
 * `timeDeltas[i]` as the time since the previous sample, so this runs from the
 * last idle sample before the import (the bundle's compile, during which V8
 * takes no samples, is included) to the last busy sample. It leaves out what
 * `endTime - startTime` would add: the wait for the request before the import
 * and for the profiler to be stopped after the answer, both idle. The
 * resolution is the sampling interval (about 1 ms).
 * @param {{ nodes: { id: number, callFrame: { functionName: string } }[], samples: number[], timeDeltas: number[] }} profile
 */
export function busyMs(profile) {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  return profile.samples.reduce((us, id, i) => (idle.has(id) ? us : us + profile.timeDeltas[i]), 0) / 1000;
}

/** Bundles a Worker exactly as `wrangler check startup` does by default (`wrangler deploy --dry-run --outfile`). */
function bundle(name, config) {
  const outfile = resolve(DIR, `${name}.bundle`);
  wrangler(["deploy", "--dry-run", "-c", config, "--outfile", outfile]);
  return outfile;
}

function profileOnce(name, bundlePath, run) {
  const outfile = resolve(DIR, `${name}-${run}.cpuprofile`);
  wrangler(["check", "startup", "--worker", bundlePath, "--outfile", outfile]);
  const profile = JSON.parse(readFileSync(outfile, "utf8"));
  return { busy: busyMs(profile), span: (profile.endTime - profile.startTime) / 1000, outfile };
}

/** @param {{ ref: string, short: string, dir: string } | undefined} baseline */
export async function benchStartup(baseline) {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const emptyConfig = resolve(DIR, "empty.toml");
  writeFileSync(emptyConfig, ['name = "cognito-edge-bench-empty"', 'main = "../../empty-worker.js"', 'compatibility_date = "2026-04-26"', ""].join("\n"));
  const workers = { empty: bundle("empty", emptyConfig), ours: bundle("ours", resolve(ROOT, "wrangler.toml")) };
  if (baseline) workers.baseline = bundle("baseline", resolve(baseline.dir, "wrangler.toml"));
  const names = Object.keys(workers);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  const RUNS = runsFor(baseline);
  for (let run = 1; run <= RUNS; run++) {
    // Rotate the order so that no Worker always runs first or last.
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + run) % names.length];
      runs[name].push(profileOnce(name, workers[name], run));
    }
  }
  const m = Object.fromEntries(
    Object.entries(runs).map(([name, rs]) => {
      const busy = rs.map((r) => r.busy);
      return [name, { busy: median(busy), min: Math.min(...busy), max: Math.max(...busy), span: median(rs.map((r) => r.span)) }];
    }),
  );
  const typical = runs.ours.find((r) => r.busy === m.ours.busy);
  const kib = (name) => `${fmt(statSync(workers[name]).size / 1024)} KiB`;
  const row = (label, name) =>
    `  ${label.padEnd(15)}${m[name].busy.toFixed(1).padStart(6)} ms   (runs ${m[name].min.toFixed(1)}-${m[name].max.toFixed(1)}; profile span ${m[name].span.toFixed(1)} ms; bundle ${kib(name)})`;
  console.log(`\nStartup CPU, wrangler check startup (median of ${RUNS} runs each, interleaved; busy = sampled time outside "(idle)")`);
  console.log(row("empty Worker", "empty"));
  console.log(row("ours", "ours"));
  if (baseline) console.log(row(`ours at ${baseline.short}`, "baseline"));
  console.log(`  ${"ours - empty".padEnd(15)}${(m.ours.busy - m.empty.busy).toFixed(1).padStart(6)} ms`);
  if (baseline) {
    const busy = (name) => runs[name].map((r) => r.busy);
    console.log(`  current/baseline ${baseline.ref}: ${fmtRatios(ratios(busy("ours"), busy("baseline")))}   (startup CPU: below 1 is faster)`);
  }
  console.log(`  a median profile of ours: ${relative(ROOT, typical.outfile)} (Chrome DevTools, or VS Code)`);
  return m;
}
