// What the browser tests stand on: `wrangler dev` (the Worker and its static
// assets, as `npm start` serves them) against globalSetup's strict Cognito
// layer, and a real Chromium (@sparticuz/chromium, driven by playwright-core).
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import chromium from "@sparticuz/chromium";
import { type Browser, chromium as playwright, type Page } from "playwright-core";
import { freePort, stop } from "../../scripts/cognito-local.mjs";
import type { CognitoFixture } from "../support/provided";

const ROOT = resolve(import.meta.dirname, "../..");
export const SCREENS = resolve(ROOT, "test-results/screens");

export interface Served {
  base: string;
  close(): Promise<void>;
}

/** Starts `wrangler dev` on a free port with `vars`; resolves once /health answers. */
export async function startWorker(cognito: CognitoFixture, vars: Record<string, string>): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), "cognito-edge-browser-"));
  const envFile = join(dir, "dev.vars");
  const all = {
    AWS_REGION: "local",
    COGNITO_USER_POOL_ID: cognito.poolId,
    COGNITO_CLIENT_ID: cognito.publicClientId,
    COGNITO_ENDPOINT: cognito.endpoint,
    COGNITO_ISSUER: cognito.issuer,
    ...vars,
  };
  writeFileSync(envFile, Object.entries(all).map(([k, v]) => `${k}=${v}\n`).join(""));
  const [port, inspector] = [await freePort(), await freePort()];
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector)];
  args.push("--env-file", envFile, "--persist-to", join(dir, "state"), "--show-interactive-dev-session=false");
  const child: ChildProcess = spawn(resolve(ROOT, "node_modules/.bin/wrangler"), args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  // The Worker's log lines join the run's log file, which globalSetup checks for secrets.
  const logFile = process.env.TEST_LOG_FILE;
  const keep = (chunk: Buffer) => logFile && appendFileSync(logFile, chunk);
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error("wrangler dev did not answer within 150 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    async close() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium as a user has it: the serverless build's switches that turn off web security are left out. */
export async function launchBrowser(): Promise<Browser> {
  const args = chromium.args.filter((a) => !["--disable-web-security", "--allow-running-insecure-content", "--single-process", "--no-zygote"].includes(a));
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}

/** Saves a full-page screenshot under test-results/screens/ (git-ignored). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** Every request the page makes must stay on `origin`: nothing from a CDN, nothing leaves the machine. */
export async function stayOn(page: Page, origin: string): Promise<string[]> {
  const foreign: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  return foreign;
}
