// Passkeys in the page: navigator.credentials around the Worker's JSON forms
// (WebAuthn Level 3's PublicKeyCredential*OptionsJSON and the credential's
// toJSON()), with a conversion of our own for browsers without those helpers.

/** True when this browser can create and use passkeys. */
export const passkeysSupported = () => typeof globalThis.PublicKeyCredential === "function" && Boolean(navigator.credentials);

const bytes = (base64url) => Uint8Array.from(atob(base64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

function base64url(buffer) {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const descriptors = (list) => list?.map((d) => ({ ...d, id: bytes(d.id) }));

/** PublicKeyCredentialRequestOptionsJSON → the options navigator.credentials.get takes. */
export function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return { ...json, challenge: bytes(json.challenge), allowCredentials: descriptors(json.allowCredentials) };
}

/** PublicKeyCredentialCreationOptionsJSON → the options navigator.credentials.create takes. */
export function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: bytes(json.challenge),
    user: { ...json.user, id: bytes(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

/** A credential as JSON (RegistrationResponseJSON or AuthenticationResponseJSON), as toJSON() gives it. */
export function credentialJson(credential) {
  if (typeof credential.toJSON === "function") return credential.toJSON();
  const { response } = credential;
  const encoded = { clientDataJSON: base64url(response.clientDataJSON) };
  if (response.attestationObject) {
    encoded.attestationObject = base64url(response.attestationObject);
    encoded.transports = response.getTransports?.() ?? [];
  } else {
    encoded.authenticatorData = base64url(response.authenticatorData);
    encoded.signature = base64url(response.signature);
    if (response.userHandle) encoded.userHandle = base64url(response.userHandle);
  }
  return {
    id: credential.id,
    rawId: base64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: encoded,
  };
}

/** Asks the authenticator for a sign-in assertion; resolves its AuthenticationResponseJSON. */
export async function getPasskey(optionsJson) {
  return credentialJson(await navigator.credentials.get({ publicKey: requestOptions(optionsJson) }));
}

/** Asks the authenticator to create a passkey; resolves its RegistrationResponseJSON. */
export async function createPasskey(optionsJson) {
  return credentialJson(await navigator.credentials.create({ publicKey: creationOptions(optionsJson) }));
}

/** Answers the client's pending WEB_AUTHN challenge with a passkey of this device; a refused one is `passkey_refused`. */
export async function answerWithPasskey(client, challenge) {
  const credential = await getPasskey(challenge.credentialRequestOptions);
  try {
    return await client.answerChallenge({ credential });
  } catch (err) {
    if (err.code !== "invalid_credentials") throw err;
    throw Object.assign(new Error("passkey refused"), { code: "passkey_refused" });
  }
}
