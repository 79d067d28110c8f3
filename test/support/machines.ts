// Access tokens of the pool's machine clients, from the OAuth stand-in's client_credentials grant.
import { expect, inject } from "vitest";
import type { MachineClientFixture } from "./provided";

/** A client-credentials access token of `client` (all its scopes unless `scope` names some). */
export async function machineToken(client: MachineClientFixture, scope?: string): Promise<string> {
  const res = await fetch(inject("machines").tokenUrl, {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The machine clients of the stand-in. */
export const machines = () => inject("machines");
