// What the stand-in's passkeys check before @simplewebauthn/server verifies a
// credential: that it has the JSON form's shape, what its clientDataJSON says,
// and whether its origin may use the pool's relying party.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { decodeClientDataJSON } from "@simplewebauthn/server/helpers";
import type { Json } from "./emulated";

/** A JSON object (not an array, not null). */
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** A RegistrationResponseJSON as far as its fields' types go (the library verifies the rest). */
export function isRegistrationResponse(value: unknown): value is RegistrationResponseJSON {
  return isObject(value) && typeof value.id === "string" && isObject(value.response) && typeof value.response.attestationObject === "string";
}

/** An AuthenticationResponseJSON as far as its fields' types go. */
export function isAuthenticationResponse(value: unknown): value is AuthenticationResponseJSON {
  return isObject(value) && typeof value.id === "string" && isObject(value.response) && typeof value.response.signature === "string";
}

/** The challenge and origin a credential's clientDataJSON carries, or undefined when it has none. */
export function clientDataOf(credential: { response: { clientDataJSON: unknown } }): { challenge: string; origin: string } | undefined {
  const { clientDataJSON } = credential.response;
  if (typeof clientDataJSON !== "string") return undefined;
  try {
    const { challenge, origin } = decodeClientDataJSON(clientDataJSON);
    return typeof challenge === "string" && typeof origin === "string" ? { challenge, origin } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * WebAuthn §13.4.9: a page may use an RP ID that is its own host or a parent
 * domain of it, over HTTPS (http only for localhost); Cognito answers other
 * origins with WebAuthnOriginNotAllowedException.
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const onDomain = url.hostname === rpId || url.hostname.endsWith(`.${rpId}`);
  const secure = url.protocol === "https:" || (url.protocol === "http:" && url.hostname === "localhost");
  return onDomain && secure && url.origin === origin;
}
