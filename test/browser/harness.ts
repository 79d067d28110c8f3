// What the browser tests stand on: `wrangler dev` (the Worker and its static
// assets, as `npm start` serves them) against globalSetup's strict Cognito
// layer, and a real Chromium (@sparticuz/chromium, driven by playwright-core).

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import chromium from "@sparticuz/chromium";
import { type Browser, type BrowserContext, type Page, chromium as playwright } from "playwright-core";
import { expect } from "vitest";
import { freePort, stop } from "../../scripts/cognito-local.mjs";
import type { CognitoFixture } from "../support/provided";
import { keepAnswers } from "./secrecy";

const ROOT = resolve(import.meta.dirname, "../..");
export const SCREENS = resolve(ROOT, "test-results/screens");

export interface Served {
  /** http://localhost:<port>: WebAuthn refuses IP addresses as a relying party ("invalid domain"), and the stand-in's RP ID is `localhost`. */
  base: string;
  close(): Promise<void>;
}

/**
 * wrangler.toml with the test upstream (test/support/workers/echo-upstream.js,
 * which answers what it received) bound as `UPSTREAM`, in `dir`: the gateway
 * forwards every path that is not the Worker's own or a static asset to it.
 * Returns the arguments that run both Workers in one `wrangler dev`.
 */
function withUpstream(dir: string): string[] {
  const own = readFileSync(resolve(ROOT, "wrangler.toml"), "utf8")
    .replace(/^main = "(.+)"$/m, (_, path) => `main = ${JSON.stringify(resolve(ROOT, path))}`)
    .replace(/^directory = "(.+)"$/m, (_, path) => `directory = ${JSON.stringify(resolve(ROOT, path))}`);
  writeFileSync(
    join(dir, "wrangler.toml"),
    `${own}
[[services]]
binding = "UPSTREAM"
service = "walk-upstream"
`,
  );
  const upstream = resolve(ROOT, "test/support/workers/echo-upstream.js");
  writeFileSync(
    join(dir, "upstream.toml"),
    `name = "walk-upstream"
main = ${JSON.stringify(upstream)}
compatibility_date = "2026-04-26"
`,
  );
  return ["-c", join(dir, "wrangler.toml"), "-c", join(dir, "upstream.toml")];
}

/**
 * The app's own origin in front of the Worker, as `app.example.com` is in front
 * of `edge.example.com`: every request goes on to `worker` (its Host the
 * Worker's), the browser's Origin unchanged. With the gateway on, the Worker
 * takes its cookies from CORS_ORIGINS only, never from its own origin, where an
 * upstream's pages could run (docs/API.md, own host); the same site
 * (`localhost`, any port) shares the `__Host-` cookies.
 */
async function appOrigin(port: number, worker: number): Promise<Server> {
  const front = createServer((req, res) => {
    const headers = { ...req.headers, host: `localhost:${worker}` };
    const out = request({ host: "127.0.0.1", port: worker, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    });
    out.on("error", () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((listening) => front.listen(port, "127.0.0.1", listening));
  return front;
}

/**
 * Starts `wrangler dev` on a free port of 127.0.0.1 with `vars`; resolves once
 * /health answers. With `upstream`: a gateway upstream that echoes its
 * requests, and the pages on an app origin of their own in front (appOrigin).
 */
export async function startWorker(cognito: CognitoFixture, vars: Record<string, string>, options: { upstream?: boolean } = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), "cognito-edge-browser-"));
  const appPort = options.upstream ? await freePort() : undefined;
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
    ...(appPort ? { CORS_ORIGINS: `http://localhost:${appPort}` } : {}),
    ...vars,
  };
  writeFileSync(
    envFile,
    Object.entries(all)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
  );
  const [port, inspector] = [await freePort(), await freePort()];
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector)];
  args.push("--env-file", envFile, "--persist-to", join(dir, "state"), "--show-interactive-dev-session=false");
  if (options.upstream) args.push(...withUpstream(dir));
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
    const up = await fetch(`${direct}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error("wrangler dev did not answer within 150 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const front = appPort ? await appOrigin(appPort, port) : undefined;
  return {
    base: `http://localhost:${appPort ?? port}`,
    async close() {
      front?.closeAllConnections();
      await new Promise((closed) => (front ? front.close(closed) : closed(undefined)));
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

/** A walk's browser: one page that must stay on the Worker's origin, with what it does recorded. */
export interface Walk {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to make elsewhere (stayOn): refused. */
  foreign: string[];
  /** The page's calls to /auth/* (recordCalls). */
  calls: string[];
  /** The passkeys the virtual authenticator holds. */
  held: () => Promise<HeldPasskey[]>;
  /** The text of every answer the page received (secrecy.ts keepAnswers). */
  answers: string[];
}

/** Chromium with one page on `base`: it stays there, its calls and answers are kept, and it has a platform authenticator. */
export async function openWalk(base: string): Promise<Walk> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const foreign = await stayOn(page, base);
  const calls = recordCalls(page);
  const held = await virtualAuthenticator(context, page);
  return { browser, context, page, foreign, calls, held, answers: keepAnswers(page) };
}
