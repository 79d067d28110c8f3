// Runs in Node before the suites: starts cognito-local on a free port, puts
// our strict checking layer in front of it, provisions two pools, each with a
// public and a confidential app client (the main one offers every first
// factor of choice-based sign-in, the other only PASSWORD and WEB_AUTHN, as
// scripts/create-pool.sh makes it), starts a JWKS host for token tests, and
// hands their coordinates to the tests.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { cognitoCall, createClient, createPool, freePort, startCognitoLocal, stop } from "../scripts/cognito-local.mjs";
import { translateAll, untranslatedPatterns } from "./support/node/strict-cognito/constraints";
import { StrictCognito } from "./support/node/strict-cognito/server";
import type { FirstFactor } from "./support/node/strict-cognito/user-auth";
import { JwksServer } from "./support/node/jwks-server";
import { findLeaks } from "./support/node/log-secrecy";
import { OAuthServer } from "./support/node/oauth-server";
import type { MachineFixture } from "./support/provided";
import { OAUTH_USER_PASSWORD } from "./support/secrets";

/** The AWS credentials the Worker signs admin calls with in the tests (never real ones). */
const TEST_ADMIN_CREDENTIALS = {
  accessKeyId: "AKIATESTCOGNITOEDGE01",
  secretAccessKey: "test-secret-access-key-for-sigv4-checks",
  sessionToken: "test-session-token",
  region: "local",
};

/** The Worker's callback URL as registered on the test app clients. */
const OAUTH_REDIRECT_URI = "https://edge.example.com/auth/oauth/callback";
/**
 * RetryGracePeriodSeconds of the rotating test clients: a short one whose end
 * the tests wait for, and a long one that outlasts every test that needs it.
 */
const ROTATION_GRACE_S = [2, 60];
/** The first factors of the second pool: those of scripts/create-pool.sh. */
const PASSWORD_PASSKEY: FirstFactor[] = ["PASSWORD", "WEB_AUTHN"];
const ALL_FACTORS: FirstFactor[] = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];
/** The scopes of the test resource server `api` that its machine clients may ask for. */
const M2M_SCOPES = ["api/read", "api/write"];
/** The user the hosted-UI stand-in signs in. */
const OAUTH_USER = "hosted-ui-user@example.com";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "cognito-edge-test-"));
  const localPort = await freePort();
  const local = `http://127.0.0.1:${localPort}`;
  const child = await startCognitoLocal({ dir, port: localPort });
  // MFA OPTIONAL, as a pool that offers TOTP is: users who enable it get the challenge.
  const poolId = await createPool(`${local}/`, { mfa: "OPTIONAL" });
  const pub = await createClient(`${local}/`, poolId);
  const conf = await createClient(`${local}/`, poolId, { secret: true });
  // Clients with refresh-token rotation (REFRESH_ROTATION=on tests), one of each kind per grace period.
  const rotating = await Promise.all(
    ROTATION_GRACE_S.flatMap((graceSeconds) =>
      [false, true].map(async (secret) => ({
        kind: secret ? ("secret" as const) : ("public" as const),
        graceSeconds,
        ...(await createClient(`${local}/`, poolId, { secret, name: `cognito-edge-rotation-${graceSeconds}s` })),
      })),
    ),
  );
  const pool2Id = await createPool(`${local}/`, { name: "cognito-edge-password-passkey", mfa: "OPTIONAL" });
  const pub2 = await createClient(`${local}/`, pool2Id);
  const conf2 = await createClient(`${local}/`, pool2Id, { secret: true });
  // Machine clients (client_credentials) of the resource server `api`: two of the main pool, one of the second.
  const machines = {
    listed: await createClient(`${local}/`, poolId, { secret: true, name: "cognito-edge-m2m-listed" }),
    unlisted: await createClient(`${local}/`, poolId, { secret: true, name: "cognito-edge-m2m-unlisted" }),
    otherPool: await createClient(`${local}/`, pool2Id, { secret: true, name: "cognito-edge-m2m-other-pool" }),
  };
  const strict = new StrictCognito({
    upstream: local,
    admin: TEST_ADMIN_CREDENTIALS,
    code: "123456",
    drawCodes: true,
    pools: { [poolId]: { firstFactors: ALL_FACTORS }, [pool2Id]: { firstFactors: PASSWORD_PASSKEY } },
    clients: {
      [pub.clientId]: { poolId },
      [conf.clientId]: { poolId, secret: conf.clientSecret, propagateUserContext: true },
      [pub2.clientId]: { poolId: pool2Id },
      [conf2.clientId]: { poolId: pool2Id, secret: conf2.clientSecret, propagateUserContext: true },
      ...Object.fromEntries(
        rotating.map((c) => [
          c.clientId,
          { poolId, secret: c.clientSecret, propagateUserContext: !!c.clientSecret, rotation: { graceSeconds: c.graceSeconds } },
        ]),
      ),
    },
  });
  const strictPort = await freePort();
  await strict.listen(strictPort);
  const strictEndpoint = `http://127.0.0.1:${strictPort}/`;
  const attributes = [{ Name: "email", Value: OAUTH_USER }];
  await cognitoCall(strictEndpoint, "SignUp", { ClientId: pub.clientId, Username: OAUTH_USER, Password: OAUTH_USER_PASSWORD, UserAttributes: attributes });
  await cognitoCall(strictEndpoint, "ConfirmSignUp", { ClientId: pub.clientId, Username: OAUTH_USER, ConfirmationCode: strict.outbox.lastTo(OAUTH_USER) });
  const jwks = new JwksServer();
  const jwksPort = await freePort();
  await jwks.listen(jwksPort);
  project.provide("jwksBase", `http://127.0.0.1:${jwksPort}`);
  const oauth = new OAuthServer({
    clients: { [pub.clientId]: undefined, [conf.clientId]: conf.clientSecret },
    redirectUri: OAUTH_REDIRECT_URI,
    user: { endpoint: strictEndpoint, username: OAUTH_USER, password: OAUTH_USER_PASSWORD },
    machines: Object.fromEntries(
      Object.entries(machines).map(([name, m]) => [m.clientId, { secret: m.clientSecret, scopes: M2M_SCOPES, issuer: `${local}/${name === "otherPool" ? pool2Id : poolId}` }]),
    ),
  });
  await oauth.listen(await freePort());
  project.provide("oauth", { domain: oauth.base, redirectUri: OAUTH_REDIRECT_URI });
  project.provide("machines", {
    tokenUrl: `${oauth.base}/oauth2/token`,
    ...Object.fromEntries(Object.entries(machines).map(([name, m]) => [name, { clientId: m.clientId, clientSecret: m.clientSecret }])),
  } as MachineFixture);
  project.provide("admin", TEST_ADMIN_CREDENTIALS);
  // Shaped like the output of Cognito's context-data script (base64 of a signed JSON payload).
  const payload = JSON.stringify({ contextData: { UserAgent: "vitest", DeviceId: randomUUID() }, userPoolId: poolId, timestamp: Date.now() });
  const encodedData = Buffer.from(JSON.stringify({ payload, signature: randomUUID(), version: "JS20171115" })).toString("base64");
  const userContext = { encodedData, ip: "203.0.113.77" };
  project.provide("userContext", userContext);
  project.provide("cognito", {
    endpoint: strictEndpoint,
    issuer: `${local}/${poolId}`,
    poolId,
    publicClientId: pub.clientId,
    secretClientId: conf.clientId,
    clientSecret: conf.clientSecret,
    rotatingClients: rotating,
    firstFactors: ALL_FACTORS,
    passwordPasskeyPool: {
      poolId: pool2Id,
      issuer: `${local}/${pool2Id}`,
      publicClientId: pub2.clientId,
      secretClientId: conf2.clientId,
      clientSecret: conf2.clientSecret,
      firstFactors: PASSWORD_PASSKEY,
    },
  });

  return async () => {
    await Promise.all([strict.close(), jwks.close(), oauth.close()]);
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    printProjectTimes(project.vitest.state.getFiles());
    // The Node project's own unit tests start no Worker, so they log nothing to check.
    const workerRan = project.vitest.state.getFiles().some((file) => file.projectName !== "node");
    const secrets = [
      conf.clientSecret,
      conf2.clientSecret,
      ...Object.values(machines).map((m) => m.clientSecret),
      ...rotating.flatMap((c) => (c.clientSecret ? [c.clientSecret] : [])),
      TEST_ADMIN_CREDENTIALS.secretAccessKey,
      TEST_ADMIN_CREDENTIALS.sessionToken,
      userContext.encodedData,
      userContext.ip,
      ...(process.env.TEST_EDGE_SECRET ? [process.env.TEST_EDGE_SECRET] : []),
      // The private scalars of the gateway's assertion keys.
      ...[process.env.TEST_SIGNING_KEY, process.env.TEST_SIGNING_KEY_NEXT].flatMap((jwk) => (jwk ? [(JSON.parse(jwk) as { d: string }).d] : [])),
    ];
    const leaks = workerRan ? findLeaks(process.env.TEST_LOG_FILE, secrets) : [];
    const failures = [...strict.violations.map((v) => `Cognito contract violation: ${v}`), ...leaks.map((l) => `the logs contain ${l}`)];
    if (failures.length) {
      // A teardown error alone does not fail a vitest run: set the exit code too.
      process.exitCode = 1;
      throw new Error(failures.join("\n"));
    }
    translateAll();
    const unchecked = untranslatedPatterns.length ? ` (${untranslatedPatterns.length} model patterns not checked)` : "";
    console.log(`Cognito contract: 0 violations across the suite${unchecked}; logs: ${workerRan ? "no secret, token or email" : "no Worker ran"}`);
  };
}

/** The time each project's files took, summed (files run two at a time, so the sum exceeds the wall clock). */
function printProjectTimes(files: { projectName?: string; result?: { duration?: number } }[]): void {
  const times = new Map<string, number>();
  for (const file of files) times.set(file.projectName ?? "", (times.get(file.projectName ?? "") ?? 0) + (file.result?.duration ?? 0));
  const line = [...times].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(", ");
  console.log(`Time per project (files' own time): ${line}`);
}
