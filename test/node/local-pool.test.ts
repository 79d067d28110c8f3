// Runs in Node: `npm start`'s local pool (scripts/lib/local-pool.mjs) against a
// cognito-local of its own, and how it tells a pool an older version made.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoCall, freePort, startCognitoLocal, stop } from "../../scripts/cognito-local.mjs";
import { createLocalPool, missingFrom } from "../../scripts/lib/local-pool.mjs";

let dir: string;
let child: ChildProcess;
let endpoint: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cognito-edge-local-pool-"));
  const port = await freePort();
  child = await startCognitoLocal({ dir, port });
  endpoint = `http://127.0.0.1:${port}/`;
});

afterAll(async () => {
  await stop(child);
  rmSync(dir, { recursive: true, force: true });
});

describe("npm start's local pool", () => {
  it("creates a pool and client with what passkeys, one-time codes, phone numbers and TOTP need", async () => {
    const saved = await createLocalPool(endpoint);
    expect(await missingFrom(endpoint, saved)).toEqual([]);
  });

  it("names what a pool and client made by an older version lack", async () => {
    // What npm start created before issue 13: email as the only username, MFA off, no USER_AUTH.
    const { UserPool } = (await cognitoCall(endpoint, "CreateUserPool", {
      PoolName: "cognito-edge-dev",
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      MfaConfiguration: "OFF",
    })) as { UserPool: { Id: string } };
    const { UserPoolClient } = (await cognitoCall(endpoint, "CreateUserPoolClient", {
      UserPoolId: UserPool.Id,
      ClientName: "cognito-edge",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })) as { UserPoolClient: { ClientId: string } };
    const missing = await missingFrom(endpoint, { poolId: UserPool.Id, clientId: UserPoolClient.ClientId });
    expect(missing).toEqual([
      "phone numbers as usernames",
      "optional MFA (the TOTP challenge at sign-in)",
      "ALLOW_USER_AUTH on the app client (one-time codes, passkeys)",
    ]);
  });

  it("rejects when the kept pool is gone (state wiped), so that a new one is made", async () => {
    await expect(missingFrom(endpoint, { poolId: "local_gone", clientId: "gone" })).rejects.toThrow();
  });
});
