// A stand-in of a test file's own, in front of the suite's cognito-local (so
// that the suite's call counts stay its own): listening for the file's tests,
// closed after them with no contract violation, and a call() to it.
import { afterAll, beforeAll, expect, inject } from "vitest";
import { freePort } from "../../../../scripts/cognito-local.mjs";
import { StrictCognito, type StrictCognitoOptions } from "./server";
import "../../provided";

export type Call = (op: string, input: Record<string, unknown>) => Promise<{ status: number; body: Record<string, unknown> }>;

/** A stand-in for the pool's `clients`, with `extra` options; call it from a test file's top level. */
export function ownStand(clients: StrictCognitoOptions["clients"], extra: Partial<StrictCognitoOptions> = {}): Call {
  const cognito = inject("cognito");
  const stand = new StrictCognito({
    upstream: cognito.issuer.slice(0, -`/${cognito.poolId}`.length),
    clients,
    admin: inject("admin"),
    code: "123456",
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
  return async (op, input) => {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${op}` },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}
