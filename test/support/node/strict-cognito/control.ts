// The stand-in's test control API (paths starting with /__), answered in Node
// next to the Cognito API it stands in for.
import type { ServerResponse } from "node:http";
import type { Accounts } from "./accounts";
import type { Answer, Json } from "./emulated";
import type { ContextLog } from "./user-context";
import type { Fault, Faults } from "./faults";
import type { Outbox } from "./outbox";

export interface ControlDeps {
  faults: Faults;
  contexts: ContextLog;
  outbox: Outbox;
  violations: string[];
  calls: Map<string, number>;
  tagged: Map<string, string[]>;
  forward: (op: string, input: Json) => Promise<Answer>;
  accounts: Accounts;
  /** /__elapse: moves one user's refresh-token grace periods nearer their end (Sessions.elapse). */
  elapse: (username: string, seconds: number) => number;
  /** /__reading: chooses readings for one user. */
  choose: (spec: Json) => Promise<Answer>;
}

/**
 * /__faults (POST a Fault, DELETE all), /__chaos (POST { rate }, DELETE), /__violations, /__calls,
 * /__calls?user= (the calls about one user, by operation: by Username, USERNAME or the username in its token),
 * /__context?op=&user= (the UserContextData of the last such call: 404 when there was none),
 * /__group (POST { poolId, username, group }), /__codes?to= (the last code sent to an email or phone: 404 when none),
 * /__user (POST an AccountSpec: a confirmed account, { username, passkeyCreationOptions? }),
 * /__passkey (POST { poolId, username, credential }: registers a passkey for the options /__user gave),
 * /__tagged?tag= (the operations called through /__tag/<tag>/, in order),
 * /__reading (POST { poolId, username, revoke?, originJti?, softwareTokenFactor? }: how the stand-in answers that user
 * where AWS's documentation leaves room, readings.ts),
 * /__elapse (POST { username, seconds }: that user's rotated-out refresh tokens are `seconds` nearer the end of their
 * grace period, as if the time had passed for them alone; answers { moved }).
 */
export function control(deps: ControlDeps, method: string, url: string, text: string, res: ServerResponse): void {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const query = new URLSearchParams(url.slice(url.indexOf("?") + 1));
  if (url === "/__faults" && method === "POST") {
    deps.faults.add(JSON.parse(text) as Fault);
    return send(200, {});
  }
  if (url === "/__faults" && method === "DELETE") {
    deps.faults.clear();
    return send(200, {});
  }
  if (url === "/__chaos" && method === "POST") {
    deps.faults.chaos(Number(JSON.parse(text).rate));
    return send(200, {});
  }
  if (url === "/__chaos" && method === "DELETE") {
    deps.faults.chaos(0);
    return send(200, { hits: Object.fromEntries(deps.faults.hits) });
  }
  if (url === "/__group" && method === "POST") {
    // Test setup: put a user in a group directly (the admin API under test needs an admin first).
    const { poolId, username, group } = JSON.parse(text);
    void deps.forward("AdminAddUserToGroup", { UserPoolId: poolId, Username: username, GroupName: group }).then((a) => send(a.status, a.body));
    return;
  }
  if (url === "/__user" && method === "POST") {
    void deps.accounts.create(JSON.parse(text)).then((a) => send(a.status, a.body));
    return;
  }
  if (url === "/__reading" && method === "POST") {
    void deps.choose(JSON.parse(text)).then((a) => send(a.status, a.body));
    return;
  }
  if (url === "/__elapse" && method === "POST") {
    const { username, seconds } = JSON.parse(text);
    return send(200, { moved: deps.elapse(String(username), Number(seconds)) });
  }
  if (url === "/__passkey" && method === "POST") {
    void deps.accounts.addPasskey(JSON.parse(text)).then((a) => send(a.status, a.body));
    return;
  }
  if (url.startsWith("/__context?")) {
    const last = deps.contexts.lastOf(query.get("op") ?? "", query.get("user") ?? "");
    return send(last === undefined ? 404 : 200, { userContextData: last ?? null });
  }
  if (url.startsWith("/__codes?")) {
    const code = deps.outbox.lastTo(query.get("to") ?? "");
    return send(code === undefined ? 404 : 200, { code: code ?? null });
  }
  if (url.startsWith("/__tagged?")) return send(200, deps.tagged.get(query.get("tag") ?? "") ?? []);
  if (url === "/__violations") return send(200, deps.violations);
  if (url === "/__calls") return send(200, Object.fromEntries(deps.calls));
  if (url.startsWith("/__calls?")) return send(200, deps.contexts.callsOf(query.get("user") ?? ""));
  send(404, {});
}
