// What the benchmarks share: wrangler with telemetry off, prebuilt bundles,
// `wrangler dev` processes (stopped by stopAll), medians and number format.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { freePort, stop } from "../scripts/cognito-local.mjs";

export const ROOT = resolve(import.meta.dirname, "..");
export const BUILD = resolve(ROOT, "bench/.build");
export const WRANGLER = resolve(ROOT, "node_modules/.bin/wrangler");
export const WRANGLER_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

const children = [];

/** Runs wrangler to completion; its output is shown only on failure (stderr). */
export function wrangler(args) {
  execFileSync(WRANGLER, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: WRANGLER_ENV });
}

/**
 * Bundles a Worker as `wrangler deploy` would and writes a config that runs the
 * bundle with no_bundle: wrangler dev then keeps no esbuild watcher polling in
 * the background, which otherwise steals a core from the measurement.
 */
export function prebuilt(name, toml) {
  const dir = resolve(BUILD, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const source = resolve(BUILD, `${name}.source.toml`);
  writeFileSync(source, toml);
  wrangler(["deploy", "--dry-run", "-c", source, "--outdir", dir]);
  const config = resolve(BUILD, `${name}.toml`);
  const script = readdirSync(dir).find((f) => f.endsWith(".js"));
  writeFileSync(config, toml.replace(/^main = .*$/m, `main = "${name}/${script}"\nno_bundle = true`));
  return config;
}

/** Starts `wrangler dev` with the given configs on `port` and waits until it answers. */
export async function wranglerDev(configs, port) {
  const args = ["dev", ...configs.flatMap((c) => ["-c", c]), "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--inspector-port", String(await freePort()), "--show-interactive-dev-session=false", "--log-level", "error");
  const child = spawn(WRANGLER, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: WRANGLER_ENV });
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

/** Stops every `wrangler dev` started by wranglerDev. */
export const stopAll = () => Promise.all(children.map(stop));

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const fmt = (x) => Math.round(x).toLocaleString("en-US");
export const ratio = (a, b) => `${(a / b).toFixed(a / b >= 100 ? 0 : 2)}x`;
