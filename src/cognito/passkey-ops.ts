import * as z from "zod/mini";
import { AuthError } from "../errors";
import type { Cognito } from "./client";
import { parseResponse } from "./schemas";

const JsonObject = z.record(z.string(), z.unknown());
const StartResponse = z.lazy(() => z.object({ CredentialCreationOptions: JsonObject }));
const Credential = z.lazy(() => z.object({
  CredentialId: z.string(),
  FriendlyCredentialName: z.string(),
  RelyingPartyId: z.string(),
  AuthenticatorAttachment: z.optional(z.string()),
  AuthenticatorTransports: z.optional(z.array(z.string())),
  // JSON protocol timestamps are epoch seconds.
  CreatedAt: z.number(),
}));
export type WebAuthnCredential = z.infer<typeof Credential>;
const ListResponse = z.lazy(() => z.object({ Credentials: z.array(Credential), NextToken: z.optional(z.string()) }));
const FactorsResponse = z.lazy(() => z.object({
  Username: z.string(),
  PreferredMfaSetting: z.optional(z.string()),
  UserMFASettingList: z.optional(z.array(z.string())),
  ConfiguredUserAuthFactors: z.optional(z.array(z.string())),
}));
export type UserAuthFactors = z.infer<typeof FactorsResponse>;

/** ListWebAuthnCredentials' largest page (WebAuthnCredentialsQueryLimitType). */
const PAGE = 20;
/** A NextToken chain longer than this is Cognito misbehaving, not a user's passkeys. */
const MAX_PAGES = 25;

/** StartWebAuthnRegistration: the CredentialCreationOptions for navigator.credentials.create. */
export async function startWebAuthnRegistration(cognito: Cognito, accessToken: string): Promise<Record<string, unknown>> {
  const out = await cognito.call("StartWebAuthnRegistration", { AccessToken: accessToken }, "passkey");
  return parseResponse(StartResponse, out, "StartWebAuthnRegistration").CredentialCreationOptions;
}

/** CompleteWebAuthnRegistration: Cognito verifies the RegistrationResponseJSON and stores the passkey. */
export async function completeWebAuthnRegistration(cognito: Cognito, accessToken: string, credential: Record<string, unknown>) {
  await cognito.call("CompleteWebAuthnRegistration", { AccessToken: accessToken, Credential: credential }, "passkey");
}

/** ListWebAuthnCredentials, every page. */
export async function listWebAuthnCredentials(cognito: Cognito, accessToken: string): Promise<WebAuthnCredential[]> {
  const all: WebAuthnCredential[] = [];
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const input = { AccessToken: accessToken, MaxResults: PAGE, ...(next ? { NextToken: next } : {}) };
    const out = parseResponse(ListResponse, await cognito.call("ListWebAuthnCredentials", input, "passkey", { retry: true }), "ListWebAuthnCredentials");
    all.push(...out.Credentials);
    next = out.NextToken;
    if (!next) return all;
  }
  throw new AuthError("upstream_unavailable", "The user pool gave an unexpected answer; retry later.", {
    cause: { op: "ListWebAuthnCredentials", reason: "endless pages" },
  });
}

/** DeleteWebAuthnCredential: one of the caller's own passkeys (another's is ResourceNotFoundException). Not retried: a repeat would not find it. */
export async function deleteWebAuthnCredential(cognito: Cognito, accessToken: string, credentialId: string): Promise<void> {
  await cognito.call("DeleteWebAuthnCredential", { AccessToken: accessToken, CredentialId: credentialId }, "passkey");
}

/** GetUserAuthFactors: the user's MFA settings and USER_AUTH sign-in factors. */
export async function getUserAuthFactors(cognito: Cognito, accessToken: string): Promise<UserAuthFactors> {
  const out = await cognito.call("GetUserAuthFactors", { AccessToken: accessToken }, "bearer", { retry: true });
  return parseResponse(FactorsResponse, out, "GetUserAuthFactors");
}
