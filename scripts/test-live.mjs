// `npm run test:live`: the main flows against a REAL Cognito pool, through the
// real Worker (`wrangler dev` on this repository, or LIVE_URL). Configured by
// LIVE_* variables (scripts/live/env.mjs, docs/deploy.md, "Live-pool test"); without
// them it tests nothing and says so. It creates its own user and deletes it
// at the end, whatever happened. `-- --rehearse [--secret]` runs the same
// flows against local stand-ins instead (AWS is not contacted).
// Never part of `npm test` or CI: it costs real Cognito requests and emails.
import { adminCaller } from "./live/admin.mjs";
import { readLiveEnv, usage } from "./live/env.mjs";
import { runCleanup, runFlows, testEmail } from "./live/flow.mjs";
import { StepFailed, stepper } from "./live/http.mjs";
import { startRehearsal } from "./live/rehearse.mjs";
import { startWorker } from "./live/worker.mjs";

const args = process.argv.slice(2);
const rehearse = args.includes("--rehearse");

let rehearsal;
let config;
if (rehearse) {
  rehearsal = await startRehearsal({ secret: args.includes("--secret") });
  config = rehearsal.config;
  console.log("test:live REHEARSAL: local stand-ins (cognito-local behind the strict Cognito layer), not AWS.");
  console.log(`  app client ${args.includes("--secret") ? "with" : "without"} a secret; this proves the script's flows, not a pool.`);
} else {
  const verdict = readLiveEnv(process.env);
  if (verdict.kind === "skip") {
    console.log("test:live skipped: nothing was tested (no LIVE_* variable is set).");
    console.log("To run the flows against a real Cognito pool, set (docs/deploy.md, \"Live-pool test\"):");
    console.log(usage());
    process.exit(0);
  }
  if (verdict.kind === "refuse") {
    console.error(`test:live refused: LIVE_* is only partly set; missing: ${verdict.missing.join(", ")}`);
    console.error(usage());
    process.exit(1);
  }
  config = verdict.config;
  console.log(`test:live against the Cognito pool ${config.poolId} in ${config.region} (real requests; Cognito may send mail).`);
}

const steps = stepper();
const admin = adminCaller(config);
const user = { email: testEmail(config.emailDomain) };
let worker;
let passed = false;
let gone = false;
let finishing;

/** Deletes the user and stops what was started; once, also on Ctrl-C (which then waits for it). */
const finish = () => (finishing ??= cleanUp());

async function cleanUp() {
  try {
    gone = await runCleanup(steps, admin, user);
  } catch (err) {
    console.error(`  cleanup failed: ${err instanceof Error ? err.message : String(err)} -- THE TEST USER MAY STILL EXIST: ${user.email}`);
  }
  await worker?.stop();
  await rehearsal?.close();
}
process.once("SIGINT", () => {
  console.log("  interrupted: deleting the test user and stopping");
  void finish().then(() => process.exit(130));
});

try {
  worker = config.url ? { url: config.url, stop: async () => {} } : await startWorker(config);
  console.log(`  Worker ${config.url ? config.url : `${worker.url} (wrangler dev)`}; test user ${user.email}`);
  await runFlows(steps, admin, worker.url, user);
  passed = true;
} catch (err) {
  if (!(err instanceof StepFailed)) console.error(`  stopped: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await finish();
}

const violations = rehearsal?.violations() ?? [];
for (const v of violations) console.error(`  request outside the Cognito API model: ${v}`);
const ok = passed && gone && violations.length === 0;
const where = rehearse ? "REHEARSAL (local stand-ins; nothing was tested against AWS)" : `pool ${config.poolId}`;
console.log(`test:live ${ok ? "passed" : "FAILED"}: ${steps.count} steps, ${where}${gone ? "; no test user left" : "; test user NOT confirmed deleted"}`);
process.exit(ok ? 0 : 1);
