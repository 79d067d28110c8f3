import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import type { Passkey, PasskeyList, PasskeyRegistration } from "../answers";
import {
  completeWebAuthnRegistration,
  deleteWebAuthnCredential,
  listWebAuthnCredentials,
  startWebAuthnRegistration,
  type WebAuthnCredential,
} from "../cognito/passkey-ops";
import { jsonBody } from "../middleware/json-body";
import { limitPerUser } from "../middleware/limits";
import { noStore } from "../middleware/no-store";
import { requireAuth } from "../middleware/require-auth";
import { requireRecentSignIn } from "../middleware/step-up";
import { validate } from "../middleware/validate";
import { CredentialId, PasskeyBody } from "../schemas";
import type { AppEnv } from "../types";

export const PasskeyParams = z.lazy(() => z.strictObject({ id: CredentialId }));

/** docs/API.md's view of a passkey. */
function toPasskey(credential: WebAuthnCredential): Passkey {
  const transports = credential.AuthenticatorTransports ?? [];
  return {
    id: credential.CredentialId,
    name: credential.FriendlyCredentialName,
    createdAt: new Date(credential.CreatedAt * 1000).toISOString(),
    relyingPartyId: credential.RelyingPartyId,
    ...(credential.AuthenticatorAttachment ? { authenticatorAttachment: credential.AuthenticatorAttachment } : {}),
    ...(transports.length ? { transports } : {}),
  };
}

/** Built by createApp on the first request, not at module load (startup CPU). */
export const passkeyRoutes = () =>
  new Hono<AppEnv>()
  .use(requireAuth(), noStore())
  // Adding or removing a sign-in factor needs a recent sign-in (RFC 9470), as for TOTP.
  .post("/registration", requireRecentSignIn(), limitPerUser(), async (c) => {
    const credentialCreationOptions = await startWebAuthnRegistration(c.var.cognito, c.var.auth.token);
    return c.json({ credentialCreationOptions } satisfies PasskeyRegistration, 200);
  })
  .post("/", requireRecentSignIn(), jsonBody(PasskeyBody), limitPerUser(), async (c) => {
    await completeWebAuthnRegistration(c.var.cognito, c.var.auth.token, c.req.valid("json").credential);
    return c.body(null, 204);
  })
  .get("/", limitPerUser(), async (c) => {
    const credentials = await listWebAuthnCredentials(c.var.cognito, c.var.auth.token);
    return c.json({ passkeys: credentials.map(toPasskey) } satisfies PasskeyList, 200);
  })
  .delete("/:id", requireRecentSignIn(), validate("param", PasskeyParams), limitPerUser(), async (c) => {
    await deleteWebAuthnCredential(c.var.cognito, c.var.auth.token, c.req.valid("param").id);
    return c.body(null, 204);
  });
