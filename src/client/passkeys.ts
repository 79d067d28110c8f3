import type { PasskeyList, PasskeyRegistration } from "../answers";
import { type Done, type Json, segment } from "./admin";
import type { PasskeyCredential } from "./types";

/** Passkeys: registration around navigator.credentials.create (start, then complete with its toJSON()), list, delete. */
export function passkeyApi(json: Json, done: Done) {
  return {
    startRegistration: () => json<PasskeyRegistration>("POST", "/auth/passkeys/registration"),
    completeRegistration: (credential: PasskeyCredential) => done("POST", "/auth/passkeys", { credential }),
    list: () => json<PasskeyList>("GET", "/auth/passkeys"),
    delete: (id: string) => done("DELETE", `/auth/passkeys/${segment(id)}`),
  };
}
