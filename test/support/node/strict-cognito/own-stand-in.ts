// For the stand-in's own tests: a stand-in of the test file's own, in front of
// the suite's cognito-local (so that the suite's call counts stay its own),
// started before the file's tests and closed after them, with no violation.
import { afterAll, beforeAll, expect, inject } from "vitest";
import { freePort } from "../../../../scripts/cognito-local.mjs";
import type { ClientInfo } from "./secrets";
import { StrictCognito, type StrictCognitoOptions } from "./server";
import "../../provided";

export type Body = Record<string, unknown>;

/** Starts a stand-in with `clients` (and `extra` options) for the calling test file; `call` sends one operation to it, `control` a test setup request. */
export function ownStandIn(clients: Record<string, ClientInfo>, extra: Partial<StrictCognitoOptions> = {}) {
  const cognito = inject("cognito");
  const stand = new StrictCognito({
    upstream: cognito.issuer.slice(0, -`/${cognito.poolId}`.length),
    clients,
    admin: inject("admin"),
    code: "123456",
    drawCodes: true,
    ...extra,
  });
  let endpoint = "";
  beforeAll(async () => {
    const port = await freePort();
    await stand.listen(port);
    endpoint = `http://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    await stand.close();
    expect(stand.violations).toEqual([]);
  });
  async function call(op: string, input: Body): Promise<{ status: number; body: Body }> {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${op}` },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as Body };
  }
  /** POSTs `body` to one of the stand-in's control paths (/__user, /__passkey, ...). */
  async function control(path: string, body: unknown): Promise<{ status: number; body: Body }> {
    const res = await fetch(`${endpoint.replace(/\/$/, "")}${path}`, { method: "POST", body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Body };
  }
  return { stand, call, control };
}
