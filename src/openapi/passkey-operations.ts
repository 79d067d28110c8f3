import { AuthFactors, PasskeyList, PasskeyRegistration } from "../answers";
import { PasskeyParams } from "../routes/passkeys";
import { PasskeyBody } from "../schemas";
import type { Operation } from "./operation";

const PASSKEYS = "Passkeys";

/** /auth/passkeys and the sign-in factors of /auth/me. */
export const passkeyOperations: Operation[] = [
  {
    id: "getFactors",
    method: "get",
    path: "/auth/me/factors",
    tag: "Profile",
    summary: "The user's sign-in factors and MFA",
    description: "GetUserAuthFactors: the factors the user can sign in with (choice-based sign-in) and the MFA methods that are on.",
    bearer: true,
    answers: { 200: { description: "Factors", schema: AuthFactors } },
  },
  {
    id: "startPasskeyRegistration",
    method: "post",
    path: "/auth/passkeys/registration",
    tag: PASSKEYS,
    summary: "Start registering a passkey",
    description:
      "StartWebAuthnRegistration. Pass `credentialCreationOptions` to PublicKeyCredential.parseCreationOptionsFromJSON and navigator.credentials.create, then send the credential to POST /auth/passkeys. 503 when the pool has passkeys switched off.",
    bearer: true,
    stepUp: true,
    answers: { 200: { description: "The creation options", schema: PasskeyRegistration } },
  },
  {
    id: "completePasskeyRegistration",
    method: "post",
    path: "/auth/passkeys",
    tag: PASSKEYS,
    summary: "Register the new passkey",
    description:
      "CompleteWebAuthnRegistration with the credential's toJSON(). 400 `code_expired`: the registration's challenge expired, was used already or is another user's (start again); 400 `validation_failed`: the pool refuses the passkey (origin, relying party, kind).",
    bearer: true,
    stepUp: true,
    body: PasskeyBody,
    answers: { 204: { description: "Registered" } },
    errors: ["code_expired"],
  },
  {
    id: "listPasskeys",
    method: "get",
    path: "/auth/passkeys",
    tag: PASSKEYS,
    summary: "List the user's passkeys",
    description: "ListWebAuthnCredentials, every page.",
    bearer: true,
    answers: { 200: { description: "The passkeys", schema: PasskeyList } },
  },
  {
    id: "deletePasskey",
    method: "delete",
    path: "/auth/passkeys/:id",
    tag: PASSKEYS,
    summary: "Delete a passkey",
    description: "DeleteWebAuthnCredential. 404 for an id that is not one of the caller's passkeys, unknown or another user's alike.",
    bearer: true,
    stepUp: true,
    params: PasskeyParams,
    answers: { 204: { description: "Deleted" } },
    errors: ["not_found"],
  },
];
