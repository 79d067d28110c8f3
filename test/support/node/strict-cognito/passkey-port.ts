/** What USER_AUTH needs from the stand-in's passkey store (passkeys.ts implements it). */
export interface PasskeyPort {
  /** True when `username` has at least one registered passkey. */
  has(username: string): boolean;
  /** ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS (a JSON string) for a new WEB_AUTHN challenge of `username`. */
  requestOptions(username: string): string;
  /** Verifies an AuthenticationResponseJSON (the CREDENTIAL string) against the options issued to `username`; true once per challenge. */
  verify(username: string, credential: string): Promise<boolean>;
}
/** The port until passkeys.ts is wired in: nobody has a passkey. */
export const NO_PASSKEYS: PasskeyPort = { has: () => false, requestOptions: () => "{}", verify: async () => false };
