// Memory of the Worker under `wrangler dev`, for the load script.
import { execFileSync } from "node:child_process";
import WebSocket from "ws";

/**
 * The V8 heap of our Worker's isolate, in MiB, after a full GC, read through
 * workerd's runtime inspector (found by asking each workerd's listening ports
 * for its targets). workerd's RSS under wrangler dev grows with every request
 * even for a Worker that only answers "ok" (the dev runtime keeps per-request
 * state), so RSS cannot show whether our Worker holds on to memory; its heap can.
 */
export async function workerHeapMiB(tries = 3) {
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
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error("inspector timeout"));
    }, 10_000);
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
export function workerdRssMiB() {
  try {
    const out = execFileSync("ps", ["-C", "workerd", "-o", "rss="], { encoding: "utf8" });
    return out.split("\n").filter(Boolean).reduce((sum, kb) => sum + Number(kb), 0) / 1024;
  } catch {
    return NaN;
  }
}
