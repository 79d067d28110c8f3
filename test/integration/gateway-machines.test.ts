// Machine-to-machine callers: client-credentials tokens of the local pool's
// machine clients (the OAuth stand-in's token endpoint, signed with the pool's key).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { machines, machineToken } from "../support/machines";
import { verifierFor } from "../../src/verifier-options";
import { expectProblem, send, signedInUser, workerEnv } from "../support/worker";

interface Echo {
  headers: Record<string, string>;
}

/** The Worker's own env (the local pool) with rules listing the `listed` machine client on /m2m and /shared. */
function machineEnv() {
  const listed = machines().listed.clientId;
  const rules = [`/m2m client=${listed} scope=api/read`, `/shared client=${listed},${env.COGNITO_CLIENT_ID}`, "/open public"].join("\n");
  return { UPSTREAM: env.TEST_UPSTREAM, GATEWAY_RULES: rules };
}

describe("gateway machine callers", () => {
  it("accepts a listed client's client-credentials token and says the caller is a client", async () => {
    const client = machines().listed;
    const res = await send("/m2m/jobs", { token: await machineToken(client, "api/read"), env: machineEnv() });
    expect(res.status).toBe(200);
    const { headers } = (await res.json()) as Echo;
    expect(headers).toMatchObject({ "x-auth-kind": "client", "x-auth-sub": client.clientId, "x-auth-client-id": client.clientId, "x-auth-scope": "api/read" });
    // A client id must never pass for a user name.
    expect(headers["x-auth-username"]).toBeUndefined();
  });

  it("answers a listed client without the route's scope with 403 insufficient_scope", async () => {
    const res = await send("/m2m/jobs", { token: await machineToken(machines().listed, "api/write"), env: machineEnv() });
    await expectProblem(res, 403, "forbidden");
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge", error="insufficient_scope", scope="api/read"');
  });

  it("refuses a user's token on a route for machine clients only", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/m2m/jobs", { token: tokens.accessToken, env: machineEnv() });
    await expectProblem(res, 403, "forbidden");
    expect(res.headers.get("X-Upstream")).toBeNull();
    // Where the rule lists the Worker's own client too, the user passes.
    const shared = await send("/shared/x", { token: tokens.accessToken, env: machineEnv() });
    expect(((await shared.json()) as Echo).headers["x-auth-kind"]).toBe("user");
  });

  it("refuses a token of a client no rule lists, as a token of another client always was", async () => {
    const res = await send("/m2m/jobs", { token: await machineToken(machines().unlisted, "api/read"), env: machineEnv() });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("refuses a machine token of another pool", async () => {
    const res = await send("/m2m/jobs", { token: await machineToken(machines().otherPool, "api/read"), env: machineEnv() });
    await expectProblem(res, 401, "unauthorized");
  });

  it("keeps a listed client to the routes that list it: not the default, not the Worker's own routes", async () => {
    const token = await machineToken(machines().listed);
    const env = machineEnv();
    expect((await send("/m2m/jobs", { token, env })).status).toBe(200);
    await expectProblem(await send("/elsewhere", { token, env }), 403, "forbidden");
    await expectProblem(await send("/auth/me", { token, env }), 401, "unauthorized");
    // Verified for the gateway and held in the verified-token cache: still no token of this app client for the verifier's other users (requireAuth, RPC).
    await expect(verifierFor(workerEnv(env)).verify(token)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("forwards a valid machine identity on a public path", async () => {
    const token = await machineToken(machines().listed);
    const res = await send("/open/x", { token, env: machineEnv() });
    expect(((await res.json()) as Echo).headers["x-auth-kind"]).toBe("client");
  });
});
