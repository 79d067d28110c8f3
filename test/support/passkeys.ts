// Passkey registration through the Worker, as a page does it around
// navigator.credentials.create, with the software authenticator.
import { expect } from "vitest";
import { type CreationOptionsJSON, SoftwareAuthenticator } from "./authenticator";
import { send } from "./worker";

/** The page that calls navigator.credentials: on the stand-in pool's relying party, localhost. */
export const PAGE = "http://localhost:8787";

export async function startRegistration(token: string): Promise<CreationOptionsJSON> {
  const res = await send("/auth/passkeys/registration", { method: "POST", token });
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  return ((await res.json()) as { credentialCreationOptions: CreationOptionsJSON }).credentialCreationOptions;
}

export const completeRegistration = (token: string, credential: unknown) => send("/auth/passkeys", { token, json: { credential } });

/** Registers a new software passkey for the holder of `token`. */
export async function registerPasskey(token: string) {
  const authenticator = await SoftwareAuthenticator.create();
  const credential = await authenticator.register(await startRegistration(token), { origin: PAGE });
  expect((await completeRegistration(token, credential)).status).toBe(204);
  return { authenticator, credential };
}
