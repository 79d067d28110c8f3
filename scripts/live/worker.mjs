// The Worker under test: `wrangler dev` on this repository, configured for the
// live pool through an env file that lives only as long as the run.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, stop } from "../cognito-local.mjs";

const ROOT = resolve(import.meta.dirname, "../..");

/** The Worker's variables for the live pool (docs/API.md, Configuration). */
function envFileLines(config) {
  const vars = {
    AWS_REGION: config.region,
    COGNITO_USER_POOL_ID: config.poolId,
    COGNITO_CLIENT_ID: config.clientId,
    COGNITO_CLIENT_SECRET: config.clientSecret,
    // The same credentials as the script's: with them the Worker's admin features are on.
    AWS_ACCESS_KEY_ID: config.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.aws.secretAccessKey,
    AWS_SESSION_TOKEN: config.aws.sessionToken,
    // A secret of this run's own: what it seals lives only as long as the run.
    EDGE_SECRET: randomBytes(32).toString("base64url"),
    // The script reads refresh tokens from the body.
    REFRESH_TOKEN_DELIVERY: "body",
    // Only the rehearsal points the Worker at local stand-ins.
    COGNITO_ENDPOINT: config.issuer ? config.endpoint : undefined,
    COGNITO_ISSUER: config.issuer,
  };
  return Object.entries(vars)
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}=${value}\n`)
    .join("");
}

/**
 * Starts `wrangler dev` for `config` and waits until /health answers.
 * @param {import("./env.mjs").LiveConfig} config
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startWorker(config) {
  // The env file holds secrets: private to the user, removed when the Worker stops.
  const dir = mkdtempSync(join(tmpdir(), "cognito-edge-live-"));
  const envFile = join(dir, "live.env");
  writeFileSync(envFile, envFileLines(config), { mode: 0o600 });
  const port = await freePort();
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--env-file", envFile, "--persist-to", join(dir, "state")];
  args.push("--inspector-port", String(await freePort()), "--show-interactive-dev-session=false", "--log-level", "error");
  const child = spawn(resolve(ROOT, "node_modules/.bin/wrangler"), args, {
    cwd: ROOT,
    // The Worker's request log goes to stdout; errors still show.
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  const stopWorker = async () => {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stopWorker();
      throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    }
    try {
      await fetch(`${url}/health`);
      return { url, stop: stopWorker };
    } catch {
      if (Date.now() > deadline) {
        await stopWorker();
        throw new Error("wrangler dev did not answer within 90 s");
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
