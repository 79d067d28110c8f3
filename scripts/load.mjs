// `npm run load`: load against a running `npm start` (LOAD_URL, default
// http://127.0.0.1:8787): concurrent registrations, logins, refreshes and
// protected requests for a fixed time. Prints requests per second, p50/p99,
// counts by status, and the worker's (workerd's) memory at start and end.
// Exits 1 on any answer outside 2xx, the expected 4xx, and 429.
import { execFileSync } from "node:child_process";
import WebSocket from "ws";

const BASE = process.env.LOAD_URL ?? "http://127.0.0.1:8787";
const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const USERS = Number(process.env.LOAD_USERS ?? 16);
const CODE = process.env.LOAD_CODE ?? "123456";
const PASSWORD = "Load-Passw0rd!";

/** Statuses each action may answer without being a failure. */
const EXPECTED = {
  register: [201, 429],
  verify: [200, 429],
  login: [200, 429],
  refresh: [200],
  me: [200],
};

const stats = new Map();
function record(action, status, ms) {
  let s = stats.get(action);
  if (!s) stats.set(action, (s = { latencies: [], statuses: new Map() }));
  s.latencies.push(ms);
  s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
}

async function call(action, ip, path, { body, token } = {}) {
  const headers = { "CF-Connecting-IP": ip };
  if (body) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const started = performance.now();
  let status;
  let json;
  try {
    const res = await fetch(`${BASE}${path}`, { method: body ? "POST" : "GET", headers, body: body && JSON.stringify(body) });
    status = res.status;
    json = await res.json().catch(() => undefined);
  } catch {
    status = "network error";
  }
  record(action, status, performance.now() - started);
  return { status, json };
}

/**
 * The V8 heap of our Worker's isolate, in MiB, after a full GC, read through
 * workerd's runtime inspector (found by asking each workerd's listening ports
 * for its targets). workerd's RSS under wrangler dev grows with every request
 * even for a Worker that only answers "ok" (the dev runtime keeps per-request
 * state), so RSS cannot show whether our Worker holds on to memory; its heap can.
 */
async function workerHeapMiB(tries = 3) {
  try {
    const pids = execFileSync("pgrep", ["workerd"], { encoding: "utf8" }).split("\n").filter(Boolean);
    const listening = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
    for (const line of listening.split("\n")) {
      if (!pids.some((pid) => line.includes(`pid=${pid},`))) continue;
      const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
      const targets = port && (await fetch(`http://127.0.0.1:${port}/json`).then((r) => r.json()).catch(() => undefined));
      const target = Array.isArray(targets) && targets.find((t) => /:user:cognito-edge/.test(t.id));
      if (target) return await heapOf(target.webSocketDebuggerUrl);
    }
  } catch {
    // no inspector found yet
  }
  if (tries <= 1) return NaN;
  await new Promise((r) => setTimeout(r, 1000));
  return workerHeapMiB(tries - 1);
}

function heapOf(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => (ws.terminate(), reject(new Error("inspector timeout"))), 10_000);
    ws.on("error", reject);
    ws.on("open", () => {
      ws.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
      ws.send(JSON.stringify({ id: 2, method: "Runtime.getHeapUsage" }));
    });
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      if (msg.id !== 2) return;
      clearTimeout(timer);
      ws.close();
      resolve(msg.result.usedSize / 1024 / 1024);
    });
  });
}

/** RSS of every workerd process, in MiB (the Worker runs in workerd under wrangler dev). */
function workerdRssMiB() {
  try {
    const out = execFileSync("ps", ["-C", "workerd", "-o", "rss="], { encoding: "utf8" });
    return out.split("\n").filter(Boolean).reduce((sum, kb) => sum + Number(kb), 0) / 1024;
  } catch {
    return NaN;
  }
}

/** One simulated client with its own IP and account. */
async function client(n, deadline) {
  const ip = `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  const signUp = async () => {
    const email = `load-${crypto.randomUUID()}@example.com`;
    const reg = await call("register", ip, "/auth/register", { body: { email, password: PASSWORD, name: "Load" } });
    if (reg.status !== 201) return undefined;
    await call("verify", ip, "/auth/verify", { body: { email, code: CODE } });
    return email;
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

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const health = await fetch(`${BASE}/health`).catch(() => undefined);
if (health?.status !== 200) {
  console.error(`No worker at ${BASE}: start it with \`npm start\` in another terminal first.`);
  process.exit(2);
}
const heapStart = await workerHeapMiB();
const rssStart = workerdRssMiB();
const started = Date.now();
const deadline = started + SECONDS * 1000;
let rssMax = rssStart;
const sampler = setInterval(() => (rssMax = Math.max(rssMax, workerdRssMiB())), 2000);
await Promise.all(Array.from({ length: USERS }, (_, n) => client(n, deadline)));
clearInterval(sampler);
const elapsed = (Date.now() - started) / 1000;
const rssEnd = workerdRssMiB();
const heapEnd = await workerHeapMiB();

let total = 0;
let unexpected = 0;
const all = [];
console.log(`\nLoad against ${BASE}: ${USERS} concurrent clients for ${elapsed.toFixed(1)} s\n`);
console.log("action     requests   req/s   p50 ms   p99 ms   statuses");
for (const [action, s] of [...stats].sort()) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  all.push(...sorted);
  total += sorted.length;
  for (const [status, n] of s.statuses) if (!EXPECTED[action].includes(status)) unexpected += n;
  const statuses = [...s.statuses].map(([k, v]) => `${k}: ${v}`).join(", ");
  console.log(
    `${action.padEnd(10)} ${String(sorted.length).padStart(8)} ${(sorted.length / elapsed).toFixed(1).padStart(7)} ${pct(sorted, 50).toFixed(1).padStart(8)} ${pct(sorted, 99).toFixed(1).padStart(8)}   ${statuses}`,
  );
}
all.sort((a, b) => a - b);
console.log(`${"all".padEnd(10)} ${String(total).padStart(8)} ${(total / elapsed).toFixed(1).padStart(7)} ${pct(all, 50).toFixed(1).padStart(8)} ${pct(all, 99).toFixed(1).padStart(8)}`);
console.log(`\nunexpected answers: ${unexpected}`);
console.log(`worker heap after GC: ${heapStart.toFixed(1)} MiB at start, ${heapEnd.toFixed(1)} MiB at end`);
console.log(`workerd RSS (all of wrangler dev's runtime): ${rssStart.toFixed(0)} MiB at start, ${rssMax.toFixed(0)} MiB peak, ${rssEnd.toFixed(0)} MiB at end`);
if (unexpected > 0) process.exitCode = 1;
