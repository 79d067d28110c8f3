// `npm run size`: builds the Worker as `wrangler deploy` would (minified, no
// upload) and prints its gzip size against the 56 KiB budget.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 56 * 1024;
const root = resolve(import.meta.dirname, "..");
const out = mkdtempSync(join(tmpdir(), "cognito-edge-size-"));
try {
  execFileSync(resolve(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--minify", "--outdir", out], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  const code = Buffer.concat(readdirSync(out).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(out, f))));
  const gz = gzipSync(code, { level: 9 }).length;
  console.log(`worker bundle: ${(code.length / 1024).toFixed(1)} KiB minified, ${(gz / 1024).toFixed(1)} KiB gzip (budget ${BUDGET / 1024} KiB)`);
  if (gz > BUDGET) {
    console.error("over budget");
    process.exitCode = 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
