// `npm run test:live -- --rehearse`: the same script against local stand-ins —
// cognito-local behind the test suite's strict Cognito layer, which checks
// every request against the Cognito API model and the SigV4 signature of
// admin calls. It proves the script and its flows, not a real pool: AWS is
// not contacted.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient, createPool, freePort, loadStrictLayer, startCognitoLocal, stop } from "../cognito-local.mjs";

const ROOT = resolve(import.meta.dirname, "../..");


/**
 * Starts the stand-ins and answers a LiveConfig for them, with `violations()`
 * (requests outside the Cognito API model) and `close()`.
 * @param {{ secret: boolean }} options an app client with or without a secret
 */
export async function startRehearsal({ secret }) {
  const dir = mkdtempSync(join(tmpdir(), "cognito-edge-rehearsal-"));
  const localPort = await freePort();
  const local = `http://127.0.0.1:${localPort}`;
  const child = await startCognitoLocal({ dir, port: localPort });
  const aws = { accessKeyId: "AKIAREHEARSAL0000001", secretAccessKey: randomBytes(24).toString("hex"), sessionToken: randomBytes(16).toString("hex") };
  let poolId, clientId, clientSecret, strict;
  const frontPort = await freePort();
  try {
    poolId = await createPool(`${local}/`);
    ({ clientId, clientSecret } = await createClient(`${local}/`, poolId, { secret }));
    const StrictCognito = await loadStrictLayer(resolve(ROOT, ".wrangler/tmp/live-rehearsal/strict-cognito.mjs"));
    strict = new StrictCognito({
      upstream: local,
      clients: { [clientId]: { poolId, secret: clientSecret } },
      admin: { ...aws, region: "local" },
      code: "123456",
    });
    await strict.listen(frontPort);
  } catch (err) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    config: {
      region: "local",
      poolId,
      clientId,
      clientSecret,
      aws,
      emailDomain: "example.com",
      endpoint: `http://127.0.0.1:${frontPort}/`,
      issuer: `${local}/${poolId}`,
    },
    /** @returns {string[]} */
    violations: () => strict.violations,
    close: async () => {
      await strict.close();
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
