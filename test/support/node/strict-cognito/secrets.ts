// What real Cognito checks and cognito-local does not: SECRET_HASH, the
// default password policy, and ClientSecret on RevokeToken and
// GetTokensFromRefreshToken.
import { createHmac, timingSafeEqual } from "node:crypto";
import { decodeJwt } from "jose";
import { takesSecretHash } from "./model";

export interface ClientInfo {
  poolId: string;
  secret?: string;
  /** EnablePropagateAdditionalUserContextData: the client accepts UserContextData.IpAddress (needs a secret). */
  propagateUserContext?: boolean;
  /** RefreshTokenRotation ENABLED, with its RetryGracePeriodSeconds (0–60). */
  rotation?: { graceSeconds: number };
}

export const secretHashOf = (username: string, clientId: string, secret: string): string =>
  createHmac("sha256", secret).update(username + clientId).digest("base64");

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Cognito's error when SECRET_HASH is missing or wrong, or undefined when it is right. */
export function secretHashError(client: ClientInfo, clientId: string, username: string, sent: unknown): string | undefined {
  if (!client.secret) return sent === undefined ? undefined : "Unable to verify secret hash for client";
  if (typeof sent !== "string") return `Client ${clientId} is configured with secret but SECRET_HASH was not received`;
  return same(sent, secretHashOf(username, clientId, client.secret)) ? undefined : "Unable to verify secret hash for client";
}

/** Cognito's refusal of a call's client secret or SECRET_HASH for `client`, or undefined when they are right. */
export function secretProblem(op: string, input: Record<string, unknown>, client: ClientInfo, clientId: string): string | undefined {
  if (op === "RevokeToken" || op === "GetTokensFromRefreshToken") {
    if (client.secret && input.ClientSecret !== client.secret) return "Client secret is missing or wrong";
    return undefined;
  }
  if (takesSecretHash(op)) return secretHashError(client, clientId, String(input.Username), input.SecretHash);
  if (op === "InitiateAuth" || op === "RespondToAuthChallenge") {
    const params = (op === "InitiateAuth" ? input.AuthParameters : input.ChallengeResponses) as Record<string, unknown> | undefined;
    let username = String(params?.USERNAME ?? "");
    if (input.AuthFlow === "REFRESH_TOKEN_AUTH") {
      // In pools with email as username, AWS wants the hash over the Cognito username here.
      try {
        username = String(decodeJwt(String(params?.REFRESH_TOKEN))["cognito:username"]);
      } catch {
        return "Invalid Refresh Token";
      }
    }
    return secretHashError(client, clientId, username, params?.SECRET_HASH);
  }
  return undefined;
}

/** Cognito's default policy: 8+ characters with upper, lower, digit and symbol. */
export function meetsDefaultPolicy(password: string): boolean {
  return (
    password.length >= 8 &&
    /[A-Z]/.test(password) &&
    /[a-z]/.test(password) &&
    /[0-9]/.test(password) &&
    /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)
  );
}

/** The password members of each operation that Cognito checks against the policy. */
export function proposedPasswords(op: string, input: Record<string, unknown>): unknown[] {
  switch (op) {
    case "SignUp":
    case "ConfirmForgotPassword":
      return [input.Password];
    case "ChangePassword":
      return [input.ProposedPassword];
    case "AdminSetUserPassword":
      return [input.Password];
    case "AdminCreateUser":
      return input.TemporaryPassword === undefined ? [] : [input.TemporaryPassword];
    case "RespondToAuthChallenge": {
      const responses = (input.ChallengeResponses ?? {}) as Record<string, unknown>;
      return responses.NEW_PASSWORD === undefined ? [] : [responses.NEW_PASSWORD];
    }
    default:
      return [];
  }
}
