// Starts and provisions cognito-local, the local Cognito stand-in used by
// `npm start` and by the test suite's globalSetup. Node only.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const START = require.resolve("cognito-local/lib/bin/start.js");

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts cognito-local with its state in `<dir>/.cognito` and waits until it answers.
 * @param {{ dir: string, port: number, code?: string, stdio?: "ignore" | "inherit" }} options
 */
export async function startCognitoLocal({ dir, port, code = "123456", stdio = "ignore" }) {
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, [START], {
    cwd: dir,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), CODE: code, DEBUG: "" },
    stdio: ["ignore", stdio, stdio],
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error("cognito-local did not start within 20 s");
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return child;
}

/** Stops a child process and waits for it to exit. */
export function stop(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Calls one Cognito operation on `endpoint`; throws with the __type on failure. */
export async function cognitoCall(endpoint, op, input) {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${op}`,
    },
    body: JSON.stringify(input),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(`${op} failed: ${body.__type ?? res.status}`);
    err.type = body.__type;
    throw err;
  }
  return body;
}

/**
 * Creates a user pool like ours in AWS: the email address or the phone number is the
 * username, verified by code (by SMS when the user has a phone number); an admin group.
 */
export async function createPool(endpoint, { name = "cognito-edge", adminGroup = "admin", mfa = "OFF" } = {}) {
  const { UserPool } = await cognitoCall(endpoint, "CreateUserPool", {
    PoolName: name,
    UsernameAttributes: ["email", "phone_number"],
    AutoVerifiedAttributes: ["email", "phone_number"],
    MfaConfiguration: mfa,
  });
  await cognitoCall(endpoint, "CreateGroup", { UserPoolId: UserPool.Id, GroupName: adminGroup });
  return UserPool.Id;
}

/** Creates an app client for the password, choice-based (USER_AUTH) and refresh flows, with or without a secret. */
export async function createClient(endpoint, poolId, { secret = false, name = "cognito-edge" } = {}) {
  const { UserPoolClient } = await cognitoCall(endpoint, "CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: secret ? `${name}-confidential` : name,
    GenerateSecret: secret,
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  return { clientId: UserPoolClient.ClientId, clientSecret: UserPoolClient.ClientSecret };
}

/**
 * The test suite's strict Cognito layer (TypeScript under test/support/node),
 * bundled for Node on the fly with esbuild into `outfile` (inside the
 * repository, so that its imports resolve to node_modules); resolves to the
 * StrictCognito class. npm start and the live-test rehearsal run it.
 */
export async function loadStrictLayer(outfile) {
  const { build } = await import("esbuild");
  const { pathToFileURL } = await import("node:url");
  const root = new URL("..", import.meta.url).pathname;
  await build({
    entryPoints: [`${root}test/support/node/strict-cognito/server.ts`],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  return (await import(/* @vite-ignore */ pathToFileURL(outfile).href)).StrictCognito;
}

