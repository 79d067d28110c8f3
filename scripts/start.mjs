// `npm start`: a local Cognito (cognito-local, provisioned once) behind the same
// strict layer the tests use (it answers what cognito-local lacks, such as
// GlobalSignOut, and behaves as AWS does where cognito-local is looser), and
// `wrangler dev` pointed at it. Ctrl-C stops everything.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadStrictLayer, startCognitoLocal, stop } from "./cognito-local.mjs";
import { createLocalPool, missingFrom } from "./lib/local-pool.mjs";

const ROOT = resolve(import.meta.dirname, "..");
const STATE_DIR = resolve(ROOT, ".cognito-dev");
const PROVISION = resolve(STATE_DIR, "provision.json");
const VARS = resolve(STATE_DIR, "dev.vars");
// The Worker's EDGE_SECRET for local development, made once: sessions and refresh tokens outlive a restart.
const SECRET_FILE = resolve(STATE_DIR, "edge-secret");
// Not 9229: that is cognito-local's default but also the inspector port of wrangler dev.
const COGNITO_PORT = Number(process.env.COGNITO_PORT ?? 9339);
// The strict layer in front of it: what the Worker talks to.
const FRONT_PORT = Number(process.env.COGNITO_FRONT_PORT ?? COGNITO_PORT + 1);
const WORKER_PORT = Number(process.env.PORT ?? 8787);
const CODE = "123456";
const endpoint = `http://127.0.0.1:${COGNITO_PORT}/`;
const front = `http://127.0.0.1:${FRONT_PORT}/`;
// WebAuthn refuses IP addresses ("invalid domain"): passkeys work on http://localhost only.
const app = `http://localhost:${WORKER_PORT}`;

/** The strict layer, shared with the tests, in front of cognito-local. */
async function startStrictLayer(poolId, clientId) {
  const StrictCognito = await loadStrictLayer(resolve(STATE_DIR, "strict-cognito.mjs"));
  const strict = new StrictCognito({
    upstream: endpoint.replace(/\/$/, ""),
    clients: { [clientId]: { poolId } },
    // No admin credentials locally (/admin answers 503): any signed call is refused.
    admin: { accessKeyId: "AKIALOCALONLY", secretAccessKey: randomBytes(24).toString("hex"), region: "local" },
    code: CODE,
    // The pool's WebAuthnConfiguration: passkeys for pages on localhost, any port (the demo app at `app`).
    webauthn: { relyingPartyId: "localhost" },
    onViolation: (message) => console.error(`[local cognito] request outside the Cognito API model: ${message}`),
  });
  await strict.listen(FRONT_PORT);
  return strict;
}

/**
 * Reuses the pool and client of an earlier run when they still exist and have
 * what this version's flows need; a pool from an older version is replaced
 * (its settings cannot all be changed after creation), and says so.
 */
async function provision() {
  if (existsSync(PROVISION)) {
    const saved = JSON.parse(readFileSync(PROVISION, "utf8"));
    // Rejected: the state was wiped; provision again.
    const missing = await missingFrom(endpoint, saved).catch(() => undefined);
    if (missing?.length === 0) return saved;
    if (missing) {
      console.warn(`
  .cognito-dev/ holds pool ${saved.poolId}, made by an older cognito-edge without:
    ${missing.join("\n    ")}
  A new pool replaces it. Accounts of the old pool are not carried over: register
  again (rm -rf .cognito-dev to drop the old pool's data too).`);
    }
  }
  const saved = await createLocalPool(endpoint);
  writeFileSync(PROVISION, JSON.stringify(saved, null, 2));
  return saved;
}

const cognito = await startCognitoLocal({ dir: STATE_DIR, port: COGNITO_PORT, code: CODE });
let wrangler;
let strict;
const shutdown = async () => {
  await Promise.all([stop(wrangler), stop(cognito), strict?.close()]);
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

const { poolId, clientId } = await provision();
if (!existsSync(SECRET_FILE)) writeFileSync(SECRET_FILE, randomBytes(32).toString("base64url"), { mode: 0o600 });
const edgeSecret = readFileSync(SECRET_FILE, "utf8").trim();
strict = await startStrictLayer(poolId, clientId);
writeFileSync(
  VARS,
  [
    "AWS_REGION=local",
    `COGNITO_USER_POOL_ID=${poolId}`,
    `COGNITO_CLIENT_ID=${clientId}`,
    `COGNITO_ENDPOINT=${front}`,
    `COGNITO_ISSUER=http://127.0.0.1:${COGNITO_PORT}/${poolId}`,
    // Both, for the curl walkthrough (curl is no browser: it gets tokens even in browser session mode).
    `REFRESH_TOKEN_DELIVERY=${process.env.REFRESH_TOKEN_DELIVERY ?? "both"}`,
    // The demo app runs in browser sessions, as docs/web-app.md recommends: its client holds no token.
    `SESSION_MODE=${process.env.SESSION_MODE ?? "browser"}`,
    `CORS_ORIGINS=http://localhost:${WORKER_PORT}`,
    `EDGE_SECRET=${edgeSecret}`,
    // The local pool allows every first factor, and passkeys for pages on localhost.
    "FIRST_FACTORS=password,email_otp,sms_otp,passkey",
    "PASSKEY_RP_ID=localhost",
    // Texts go to the stand-in's outbox only: allow the North American numbers of the walkthrough (+1 555 ...).
    "SMS_COUNTRY_CODES=1",
    "",
  ].join("\n"),
);

console.log(`
  cognito-edge — local development
  ─────────────────────────────────
  Worker:          http://127.0.0.1:${WORKER_PORT}
  Demo app:        ${app}/   API reference: ${app}/docs
                   (localhost, not 127.0.0.1: passkeys work only there)
  Local Cognito:   ${front} (strict layer in front of cognito-local on ${endpoint};
                   pool ${poolId}, client ${clientId}, state in .cognito-dev/)
  Codes:           every confirmation, reset and verification code is ${CODE};
                   a sign-in code ("Email me a code", method email_otp or sms_otp) is
                   random, nothing is sent: curl '${front}__codes?to=you@example.com'
                   shows the last code sent to an address or number
  Passkeys:        relying party localhost; the strict layer keeps them in memory
                   (a restart forgets them, delete them from the browser too)
  Refresh tokens:  REFRESH_TOKEN_DELIVERY=${process.env.REFRESH_TOKEN_DELIVERY ?? "both"} (body and cookie unless set)
  Sessions:        SESSION_MODE=${process.env.SESSION_MODE ?? "browser"}: the page gets HttpOnly session cookies,
                   no token (curl, sending no Origin, still gets tokens)
  Try:             the curl walkthrough in docs/walkthrough.md. Ctrl-C stops everything.
`);

wrangler = spawn(
  resolve(ROOT, "node_modules/.bin/wrangler"),
  ["dev", "--ip", "127.0.0.1", "--port", String(WORKER_PORT), "--env-file", VARS, "--show-interactive-dev-session=false"],
  {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_HIDE_BANNER: "true",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  },
);
wrangler.on("exit", async (code) => {
  await Promise.all([stop(cognito), strict.close()]);
  process.exit(code ?? 0);
});
