// Passkeys, which cognito-local lacks: StartWebAuthnRegistration,
// CompleteWebAuthnRegistration, ListWebAuthnCredentials and
// DeleteWebAuthnCredential answered as the API reference documents them, with
// registrations and assertions verified for real (@simplewebauthn/server), and
// the store USER_AUTH's WEB_AUTHN challenge reads (PasskeyPort). The access
// token was verified before these run (server.ts, refuse()).
import { randomBytes } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from "@simplewebauthn/server";
import { decodeJwt } from "jose";
import { type Answer, fail, type Json } from "./emulated";
import type { PasskeyPort } from "./passkey-port";
import { clientDataOf, isAuthenticationResponse, isRegistrationResponse, originAllowed } from "./webauthn-checks";

/** The pool's WebAuthnConfiguration (SetUserPoolMfaConfig). */
export interface WebAuthnConfiguration {
  /** RelyingPartyId: the page's domain or a parent of it, e.g. `localhost` or `example.com`. */
  relyingPartyId: string;
}

interface StoredPasskey {
  id: string;
  publicKey: WebAuthnCredential["publicKey"];
  counter: number;
  transports: string[];
  attachment?: string;
  createdAt: number;
}

interface Issued {
  challenge: string;
  issuedAt: number;
}

interface Registration extends Issued {
  clientId: string;
}

/** How long a registration or sign-in challenge stays good (as long as a sign-in session: 3 minutes). */
const CHALLENGE_TTL_MS = 3 * 60_000;
/** ES256 and RS256, the algorithms offered in pubKeyCredParams. */
const ALGORITHMS = [-7, -257];
/** ListWebAuthnCredentials' MaxResults: at most 20 (WebAuthnCredentialsQueryLimitType). */
const PAGE = 20;

type Forward = (op: string, input: Json) => Promise<Answer>;

const ok = (body: Json): Answer => ({ status: 200, body });
const newChallenge = () => randomBytes(32).toString("base64url");
const expired = (issued: Issued) => Date.now() - issued.issuedAt > CHALLENGE_TTL_MS;
/** user.id of the creation options: an opaque handle of the user (base64url of the username). */
const userHandle = (username: string) => Buffer.from(username).toString("base64url");

/** The username and app client of an access token the stand-in already verified. */
function caller(input: Json): { username: string; clientId: string } {
  const claims = decodeJwt(String(input.AccessToken));
  return { username: String(claims.username), clientId: String(claims.client_id) };
}

export class Passkeys implements PasskeyPort {
  private readonly stored = new Map<string, StoredPasskey[]>();
  private readonly registrations = new Map<string, Registration>();
  private readonly signIns = new Map<string, Issued[]>();

  constructor(
    private readonly config: WebAuthnConfiguration,
    private readonly forward: Forward,
  ) {}

  /** The answer for a passkey operation, or undefined when `op` is not one. */
  async handle(op: string, input: Json): Promise<Answer | undefined> {
    switch (op) {
      case "StartWebAuthnRegistration":
        return this.start(input);
      case "CompleteWebAuthnRegistration":
        return this.complete(input);
      case "ListWebAuthnCredentials":
        return this.list(input);
      case "DeleteWebAuthnCredential":
        return this.remove(input);
      default:
        return undefined;
    }
  }

  has(username: string): boolean {
    return this.passkeysOf(username).length > 0;
  }

  requestOptions(username: string): string {
    const challenge = newChallenge();
    const live = (this.signIns.get(username) ?? []).filter((issued) => !expired(issued));
    this.signIns.set(username, [...live, { challenge, issuedAt: Date.now() }]);
    return JSON.stringify({
      challenge,
      rpId: this.config.relyingPartyId,
      timeout: CHALLENGE_TTL_MS,
      allowCredentials: this.passkeysOf(username).map((p) => ({ type: "public-key", id: p.id, transports: p.transports })),
      userVerification: "preferred",
    });
  }

  async verify(username: string, credential: string): Promise<boolean> {
    let response: unknown;
    try {
      response = JSON.parse(credential);
    } catch {
      return false;
    }
    if (!isAuthenticationResponse(response)) return false;
    const data = clientDataOf(response);
    const pending = this.signIns.get(username) ?? [];
    const issued = pending.find((i) => i.challenge === data?.challenge && !expired(i));
    if (!issued || !data) return false;
    // Spent by any attempt: an assertion, right or wrong, is answered once per challenge.
    this.signIns.set(username, pending.filter((i) => i !== issued));
    const passkey = this.passkeysOf(username).find((p) => p.id === response.id);
    if (!passkey || !originAllowed(data.origin, this.config.relyingPartyId)) return false;
    if (!this.ownHandle(username, response)) return false;
    try {
      const { verified, authenticationInfo } = await verifyAuthenticationResponse({
        response,
        expectedChallenge: issued.challenge,
        expectedOrigin: data.origin,
        expectedRPID: this.config.relyingPartyId,
        credential: { id: passkey.id, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports },
        requireUserVerification: false,
      });
      if (verified) passkey.counter = authenticationInfo.newCounter;
      return verified;
    } catch {
      return false;
    }
  }

  private passkeysOf(username: string): StoredPasskey[] {
    return this.stored.get(username) ?? [];
  }

  /** The user handle an assertion names, if any, is the one this user registered with (user.id). */
  private ownHandle(username: string, response: AuthenticationResponseJSON): boolean {
    const handle = response.response.userHandle;
    return !handle || handle === userHandle(username);
  }

  private async start(input: Json): Promise<Answer> {
    const { username, clientId } = caller(input);
    const user = await this.forward("GetUser", { AccessToken: input.AccessToken });
    if (user.status !== 200) return user;
    const attributes = ((user.body as Json).UserAttributes as { Name: string; Value?: string }[] | undefined) ?? [];
    const name = attributes.find((a) => a.Name === "email")?.Value ?? username;
    return ok({ CredentialCreationOptions: this.creationOptions(username, clientId, name) });
  }

  /** StartWebAuthnRegistration's options for `username` (shown as `name`) of `clientId`; completeFor() takes their answer. */
  creationOptions(username: string, clientId: string, name: string): Json {
    const challenge = newChallenge();
    this.registrations.set(username, { challenge, clientId, issuedAt: Date.now() });
    return {
      challenge,
      rp: { id: this.config.relyingPartyId, name: this.config.relyingPartyId },
      user: { id: userHandle(username), name, displayName: name },
      pubKeyCredParams: ALGORITHMS.map((alg) => ({ type: "public-key", alg })),
      timeout: CHALLENGE_TTL_MS,
      excludeCredentials: this.passkeysOf(username).map((p) => ({ type: "public-key", id: p.id, transports: p.transports })),
      authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
      attestation: "none",
    };
  }

  private complete(input: Json): Promise<Answer> {
    const { username, clientId } = caller(input);
    return this.completeFor(username, clientId, input.Credential);
  }

  /** CompleteWebAuthnRegistration of `credential` for `username` of `clientId`. */
  async completeFor(username: string, clientId: string, credential: unknown): Promise<Answer> {
    if (!isRegistrationResponse(credential)) return fail("InvalidParameterException", "Credential is not a registration response.");
    const data = clientDataOf(credential);
    if (!data) return fail("InvalidParameterException", "Credential has no valid clientDataJSON.");
    const issued = this.registrations.get(username);
    if (!issued || expired(issued) || issued.challenge !== data.challenge) {
      return fail("WebAuthnChallengeNotFoundException", "The registration challenge was not found or has expired.");
    }
    if (issued.clientId !== clientId) {
      return fail("WebAuthnClientMismatchException", "The registration was started by another app client.");
    }
    this.registrations.delete(username);
    if (!originAllowed(data.origin, this.config.relyingPartyId)) {
      return fail("WebAuthnOriginNotAllowedException", "The credential's origin does not match the relying party.");
    }
    return this.register(username, credential, issued.challenge, data.origin);
  }

  private async register(username: string, response: RegistrationResponseJSON, challenge: string, origin: string): Promise<Answer> {
    const verified = await this.verifyRegistration(response, challenge, origin);
    if ("status" in verified) return verified;
    const { credential } = verified;
    const taken = [...this.stored.values()].some((list) => list.some((p) => p.id === credential.id));
    if (taken) return fail("InvalidParameterException", "The credential is already registered.");
    const passkey: StoredPasskey = {
      id: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? [],
      attachment: typeof response.authenticatorAttachment === "string" ? response.authenticatorAttachment : undefined,
      createdAt: Math.floor(Date.now() / 1000),
    };
    this.stored.set(username, [...this.passkeysOf(username), passkey]);
    return ok({});
  }

  /** The verified registration, or Cognito's refusal of it. */
  private async verifyRegistration(response: RegistrationResponseJSON, challenge: string, origin: string) {
    try {
      const { registrationInfo } = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: this.config.relyingPartyId,
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      });
      return registrationInfo ?? fail("InvalidParameterException", "The credential could not be verified.");
    } catch (err) {
      if (err instanceof Error && err.name === "UnexpectedRPIDHash") {
        return fail("WebAuthnRelyingPartyMismatchException", "The credential belongs to another relying party.");
      }
      if (err instanceof Error && /^(Unsupported Attestation Format|Unexpected public key alg)/.test(err.message)) {
        return fail("WebAuthnCredentialNotSupportedException", "The credential is not supported.");
      }
      return fail("InvalidParameterException", "The credential could not be verified.");
    }
  }

  /** Pages of MaxResults (default and at most 20) with an opaque NextToken. */
  private list(input: Json): Answer {
    const { username } = caller(input);
    const limit = typeof input.MaxResults === "number" && input.MaxResults > 0 ? input.MaxResults : PAGE;
    const offset = typeof input.NextToken === "string" ? Number(Buffer.from(input.NextToken, "base64url").toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) return fail("InvalidParameterException", "Invalid NextToken.");
    const all = this.passkeysOf(username);
    const Credentials = all.slice(offset, offset + limit).map((p) => ({
      CredentialId: p.id,
      FriendlyCredentialName: "Passkey",
      RelyingPartyId: this.config.relyingPartyId,
      ...(p.attachment ? { AuthenticatorAttachment: p.attachment } : {}),
      AuthenticatorTransports: p.transports,
      CreatedAt: p.createdAt,
    }));
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString("base64url") : undefined;
    return ok({ Credentials, ...(next ? { NextToken: next } : {}) });
  }

  private remove(input: Json): Answer {
    const { username } = caller(input);
    const all = this.passkeysOf(username);
    const kept = all.filter((p) => p.id !== input.CredentialId);
    // Another user's credential is not found either: ids are looked up among the caller's own.
    if (kept.length === all.length) return fail("ResourceNotFoundException", "Credential not found.");
    this.stored.set(username, kept);
    return ok({});
  }
}

