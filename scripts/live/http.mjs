// The script's HTTP side: calls to the Worker, and steps that print their
// outcome (status, milliseconds) and stop the run on the first surprise.
// Nothing here prints a token, password or response body.

export class StepFailed extends Error {}

/** A JSON caller of the Worker at `base`. Resolves to `{ status, body, headers, ms }`. */
export function workerCaller(base) {
  return async (method, path, { token, body } = {}) => {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const started = performance.now();
    const res = await fetch(new URL(path, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, headers: res.headers, ms: performance.now() - started };
  };
}

/** What went wrong with an answer, or undefined: status, then problem+json `code` (or Cognito's type), then `check`. */
function problemOf(res, status, { code, check }) {
  const got = res.body?.code ?? res.type;
  if (res.status !== status) return `expected ${status}${code ? ` ${code}` : ""}, got ${res.status}${got ? ` ${got}` : ""}`;
  if (code && got !== code) return `expected code ${code}, got ${got ?? "none"}`;
  return check?.(res);
}

/**
 * Runs steps and prints one line each. `step` resolves to the answer when it
 * is the expected one and throws StepFailed otherwise.
 */
export function stepper(print = console.log) {
  let count = 0;
  const line = (ok, status, ms, label, note) =>
    print(`  ${ok ? "ok  " : "FAIL"}  ${String(status).padStart(3)}  ${`${Math.round(ms)} ms`.padStart(8)}  ${label}${note ? `  -- ${note}` : ""}`);
  return {
    get count() {
      return count;
    },
    /**
     * @param {string} label
     * @param {number} status the expected status
     * @param {() => Promise<{ status: number, body?: any, type?: string, ms: number }>} send
     * @param {{ code?: string, check?: (res: any) => string | undefined }} [expect]
     */
    async step(label, status, send, expect = {}) {
      count++;
      let res;
      try {
        res = await send();
      } catch (err) {
        line(false, "---", 0, label, `request failed: ${err instanceof Error ? err.message : String(err)}`);
        throw new StepFailed(label);
      }
      const problem = problemOf(res, status, expect);
      line(!problem, res.status, res.ms, label, problem);
      if (problem) throw new StepFailed(label);
      return res;
    },
    /** A line for something that was not a request (a note, a skipped check). */
    note: (text) => print(`  ${"".padEnd(19)}${text}`),
  };
}
