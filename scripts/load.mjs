// `npm run load`: load against a running `npm start` (LOAD_URL, default
// http://127.0.0.1:8787): concurrent registrations, logins, refreshes and
// protected requests for a fixed time. Prints requests per second, p50/p99,
// counts by status, and the worker's (workerd's) memory at start and end.
// Exits 1 on any answer outside 2xx, the expected 4xx, and 429.
//
// `npm run load -- --faults` runs the same mix while npm start's Cognito
// stand-in fails about one call in ten (timeouts, 500s, throttling, malformed
// JSON), then stops the faults and checks that the next requests succeed.
import { workerdRssMiB, workerHeapMiB } from "./lib/workerd-memory.mjs";

const BASE = process.env.LOAD_URL ?? "http://127.0.0.1:8787";
/** npm start's strict Cognito layer, whose control API injects the faults. */
const COGNITO = process.env.LOAD_COGNITO_URL ?? "http://127.0.0.1:9340";
const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const USERS = Number(process.env.LOAD_USERS ?? 16);
const CODE = process.env.LOAD_CODE ?? "123456";
const PASSWORD = "Load-Passw0rd!";
const FAULTS = process.argv.includes("--faults");
const FAULT_RATE = Number(process.env.LOAD_FAULT_RATE ?? 0.1);
/** The Worker's COGNITO_TIMEOUT_MS under npm start, and what an answer may take beyond it. */
const TIMEOUT_MS = Number(process.env.LOAD_TIMEOUT_MS ?? 5000);
const MARGIN_MS = 2000;
/**
 * Growth of the isolate's heap allowed over a run: the verified-token cache's
 * bound (2,000 tokens, ~10 MiB of heap) plus what a burst of failed requests
 * still holds at the end. Measured over repeated fault runs on one isolate:
 * 1.7 -> 3.4 -> 14.6 -> 9.9 MiB, i.e. it rises and falls, it does not creep.
 */
const HEAP_GROWTH_MIB = 16;

/** Statuses each action may answer without being a failure. */
const EXPECTED = {
  register: [201, 429],
  verify: [200, 429],
  login: [200, 429],
  refresh: [200],
  me: [200],
};
/** Under faults every action may also be refused as the contract says an outage is. */
const UNDER_FAULTS = [429, 503];

let phase = "load";
const stats = new Map();
const problems = { unexpected: 0, noRetryAfter: 0, slow: 0, serverErrors: 0 };
function record(action, status, ms, retryAfter) {
  const key = `${phase === "recovery" ? "after " : ""}${action}`;
  let s = stats.get(key);
  if (!s) stats.set(key, (s = { latencies: [], statuses: new Map() }));
  s.latencies.push(ms);
  s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
  const allowed = [...EXPECTED[action], ...(phase === "faults" ? UNDER_FAULTS : [])];
  if (!allowed.includes(status)) problems.unexpected++;
  if ((status === 429 || status === 503) && !/^\d+$/.test(retryAfter ?? "")) problems.noRetryAfter++;
  if (ms > TIMEOUT_MS + MARGIN_MS) problems.slow++;
  if (status === 500) problems.serverErrors++;
}

async function call(action, ip, path, { body, token } = {}) {
  const headers = { "CF-Connecting-IP": ip };
  if (body) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const started = performance.now();
  let status;
  let json;
  let retryAfter;
  try {
    const res = await fetch(`${BASE}${path}`, { method: body ? "POST" : "GET", headers, body: body && JSON.stringify(body) });
    status = res.status;
    retryAfter = res.headers.get("Retry-After") ?? undefined;
    json = await res.json().catch(() => undefined);
  } catch {
    status = "network error";
  }
  record(action, status, performance.now() - started, retryAfter);
  return { status, json };
}

/** One simulated client with its own IP and account. */
async function client(n, deadline) {
  const ip = `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  const signUp = async () => {
    const email = `load-${crypto.randomUUID()}@example.com`;
    const reg = await call("register", ip, "/auth/register", { body: { email, password: PASSWORD, name: "Load" } });
    if (reg.status !== 201) return undefined;
    const verified = await call("verify", ip, "/auth/verify", { body: { email, code: CODE } });
    return verified.status === 200 ? email : undefined;
  };
  let email = await signUp();
  let tokens = email ? (await call("login", ip, "/auth/login", { body: { email, password: PASSWORD } })).json : undefined;
  while (Date.now() < deadline) {
    const roll = Math.random();
    if (!tokens?.accessToken || roll < 0.05) {
      email = (await signUp()) ?? email;
      if (email) {
        const login = await call("login", ip, "/auth/login", { body: { email, password: PASSWORD } });
        if (login.status === 200) tokens = login.json;
      }
    } else if (roll < 0.15) {
      const login = await call("login", ip, "/auth/login", { body: { email, password: PASSWORD } });
      if (login.status === 200) tokens = login.json;
    } else if (roll < 0.4) {
      const refreshed = await call("refresh", ip, "/auth/refresh", { body: { refreshToken: tokens.refreshToken } });
      if (refreshed.status === 200) tokens = { ...tokens, ...refreshed.json };
    } else {
      await call("me", ip, "/auth/me", { token: tokens.accessToken });
    }
  }
}

const runClients = (seconds, firstId = 0) => {
  const deadline = Date.now() + seconds * 1000;
  return Promise.all(Array.from({ length: USERS }, (_, n) => client(firstId + n, deadline)));
};

async function chaos(rate) {
  const res = await fetch(`${COGNITO}/__chaos`, { method: rate > 0 ? "POST" : "DELETE", body: JSON.stringify({ rate }) });
  if (!res.ok) throw new Error(`the Cognito stand-in at ${COGNITO} refused /__chaos (${res.status})`);
  return res.json();
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const health = await fetch(`${BASE}/health`).catch(() => undefined);
if (health?.status !== 200) {
  console.error(`No worker at ${BASE}: start it with \`npm start\` in another terminal first.`);
  process.exit(2);
}
const heapStart = await workerHeapMiB();
const rssStart = workerdRssMiB();
const started = Date.now();
let rssMax = rssStart;
const sampler = setInterval(() => (rssMax = Math.max(rssMax, workerdRssMiB())), 2000);
let injected;
if (FAULTS) {
  await chaos(FAULT_RATE);
  phase = "faults";
  try {
    await runClients(SECONDS);
  } finally {
    injected = (await chaos(0)).hits;
  }
  // New clients, new accounts: nothing may stay broken once Cognito is healthy again.
  phase = "recovery";
  await runClients(Math.max(5, SECONDS / 4), USERS);
} else {
  await runClients(SECONDS);
}
clearInterval(sampler);
const elapsed = (Date.now() - started) / 1000;
const rssEnd = workerdRssMiB();
const heapEnd = await workerHeapMiB();

let total = 0;
const all = [];
const mode = FAULTS ? `, Cognito failing ${Math.round(FAULT_RATE * 100)}% of calls, then healthy ("after" rows)` : "";
console.log(`\nLoad against ${BASE}: ${USERS} concurrent clients for ${elapsed.toFixed(1)} s${mode}\n`);
console.log("action           requests   req/s   p50 ms   p99 ms   max ms   statuses");
for (const [action, s] of [...stats].sort()) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  all.push(...sorted);
  total += sorted.length;
  const statuses = [...s.statuses].map(([k, v]) => `${k}: ${v}`).join(", ");
  console.log(
    `${action.padEnd(16)} ${String(sorted.length).padStart(8)} ${(sorted.length / elapsed).toFixed(1).padStart(7)} ${pct(sorted, 50).toFixed(1).padStart(8)} ${pct(sorted, 99).toFixed(1).padStart(8)} ${(sorted.at(-1) ?? 0).toFixed(0).padStart(8)}   ${statuses}`,
  );
}
all.sort((a, b) => a - b);
console.log(`${"all".padEnd(16)} ${String(total).padStart(8)} ${(total / elapsed).toFixed(1).padStart(7)} ${pct(all, 50).toFixed(1).padStart(8)} ${pct(all, 99).toFixed(1).padStart(8)} ${(all.at(-1) ?? 0).toFixed(0).padStart(8)}`);
if (injected) {
  const count = Object.values(injected).reduce((a, b) => a + b, 0);
  console.log(`\nfaults injected: ${count} (${Object.entries(injected).map(([op, n]) => `${op} ${n}`).join(", ")})`);
}
console.log(`\nunexpected answers: ${problems.unexpected}`);
console.log(`500 answers: ${problems.serverErrors}`);
console.log(`429/503 without Retry-After: ${problems.noRetryAfter}`);
console.log(`answers slower than the timeout + ${MARGIN_MS} ms (${TIMEOUT_MS + MARGIN_MS} ms): ${problems.slow}`);
const growth = heapEnd - heapStart;
console.log(`worker heap after GC: ${heapStart.toFixed(1)} MiB at start, ${heapEnd.toFixed(1)} MiB at end (allowed growth ${HEAP_GROWTH_MIB} MiB)`);
console.log(`workerd RSS (all of wrangler dev's runtime): ${rssStart.toFixed(0)} MiB at start, ${rssMax.toFixed(0)} MiB peak, ${rssEnd.toFixed(0)} MiB at end`);
if (Number.isNaN(growth)) console.log("worker heap: not measured (no workerd inspector found)");
const failed = problems.unexpected + problems.serverErrors + problems.noRetryAfter + problems.slow > 0 || growth > HEAP_GROWTH_MIB;
if (failed) process.exitCode = 1;
