// What the browser tests stand on: `wrangler dev` (the Worker and its static
// assets, as `npm start` serves them) against globalSetup's strict Cognito
// layer, and a real Chromium (@sparticuz/chromium, driven by playwright-core).
import { randomBytes } from "node:crypto";
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import chromium from "@sparticuz/chromium";
import { type Browser, type BrowserContext, chromium as playwright, type Page } from "playwright-core";
import { freePort, stop } from "../../scripts/cognito-local.mjs";
import { expect } from "vitest";
import type { CognitoFixture } from "../support/provided";

const ROOT = resolve(import.meta.dirname, "../..");
export const SCREENS = resolve(ROOT, "test-results/screens");

export interface Served {
  /** http://localhost:<port>: WebAuthn refuses IP addresses as a relying party ("invalid domain"), and the stand-in's RP ID is `localhost`. */
  base: string;
  close(): Promise<void>;
}

/** Starts `wrangler dev` on a free port of 127.0.0.1 with `vars`; resolves once /health answers. */
export async function startWorker(cognito: CognitoFixture, vars: Record<string, string>): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), "cognito-edge-browser-"));
  const envFile = join(dir, "dev.vars");
  const all = {
    AWS_REGION: "local",
    COGNITO_USER_POOL_ID: cognito.poolId,
    COGNITO_CLIENT_ID: cognito.publicClientId,
    COGNITO_ENDPOINT: cognito.endpoint,
    COGNITO_ISSUER: cognito.issuer,
    EDGE_SECRET: randomBytes(32).toString("base64url"),
    FIRST_FACTORS: "password,email_otp,sms_otp,passkey",
    PASSKEY_RP_ID: "localhost",
    SMS_COUNTRY_CODES: "1",
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
  const direct = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    const up = await fetch(`${direct}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error("wrangler dev did not answer within 150 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base: `http://localhost:${port}`,
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

/** A passkey the virtual authenticator holds: its credential id (base64url, as the Worker lists it) and signature counter. */
export interface HeldPasskey {
  id: string;
  signCount: number;
}

/**
 * A platform authenticator with user verification (fingerprint, face, screen
 * lock) in `page`, through DevTools' WebAuthn domain; it answers every
 * navigator.credentials call without a prompt. Resolves a function that lists
 * the passkeys it holds.
 */
export async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<() => Promise<HeldPasskey[]>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const options = { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true } as const;
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", { options: { ...options, automaticPresenceSimulation: true } });
  return async () => {
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    return credentials.map((c) => ({ id: Buffer.from(c.credentialId, "base64").toString("base64url"), signCount: c.signCount }));
  };
}

/** Every call the page makes to the Worker's API, as "METHOD /path status", in the order the answers came. */
export function recordCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on("response", (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith("/auth/")) calls.push(`${res.request().method()} ${url.pathname} ${res.status()}`);
  });
  return calls;
}

/** Runs `action` and expects exactly `expected` new entries in `calls` (recordCalls), in order. */
export async function expectCallsOf(calls: string[], expected: string[], action: () => Promise<void>): Promise<void> {
  const mark = calls.length;
  await action();
  await expect.poll(() => calls.slice(mark)).toEqual(expected);
}

/** The last code the stand-in "sent" to an email address or phone number (its outbox, GET /__codes?to=). */
export async function lastCodeTo(cognito: CognitoFixture, to: string): Promise<string> {
  const res = await fetch(`${cognito.endpoint}__codes?to=${encodeURIComponent(to)}`);
  expect(res.status, "a code was sent").toBe(200);
  return ((await res.json()) as { code: string }).code;
}
