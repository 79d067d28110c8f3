import * as z from "zod/mini";
import type { Cognito } from "./client";
import { AuthError } from "../errors";
import { toAttributeList } from "./attributes";
import { assertPasswordType } from "./auth-ops";
import { CodeDelivery, type CognitoUser, GetUserResponse, parseResponse } from "./schemas";

/** GetUser: the signed-in user's attributes (Cognito checks the token is not revoked). */
export async function getUser(cognito: Cognito, accessToken: string): Promise<CognitoUser> {
  const out = await cognito.call("GetUser", { AccessToken: accessToken }, "bearer", { retry: true });
  return parseResponse(GetUserResponse, out, "GetUser");
}

const UpdateResponse = z.lazy(() => z.object({ CodeDeliveryDetailsList: z.optional(z.array(CodeDelivery)) }));

/** UpdateUserAttributes: changes attributes; an email change answers with a code delivery. */
export async function updateUserAttributes(cognito: Cognito, accessToken: string, attributes: Record<string, string>) {
  const input = { AccessToken: accessToken, UserAttributes: toAttributeList(attributes) };
  const out = await cognito.call("UpdateUserAttributes", input, "bearer");
  return parseResponse(UpdateResponse, out, "UpdateUserAttributes");
}

/** VerifyUserAttribute: proves an attribute (email, phone_number) with its code. */
export async function verifyUserAttribute(cognito: Cognito, accessToken: string, attribute: string, code: string) {
  await cognito.call("VerifyUserAttribute", { AccessToken: accessToken, AttributeName: attribute, Code: code }, "code");
}

const CodeResponse = z.lazy(() => z.object({ CodeDeliveryDetails: z.optional(CodeDelivery) }));

/** GetUserAttributeVerificationCode: sends a new code for `attribute` (email, phone_number). */
export async function getUserAttributeVerificationCode(cognito: Cognito, accessToken: string, attribute: string) {
  const out = await cognito.call("GetUserAttributeVerificationCode", { AccessToken: accessToken, AttributeName: attribute }, "bearer");
  return parseResponse(CodeResponse, out, "GetUserAttributeVerificationCode");
}

/** DeleteUser: the user deletes their own account. */
export async function deleteUser(cognito: Cognito, accessToken: string): Promise<void> {
  await cognito.call("DeleteUser", { AccessToken: accessToken }, "bearer");
}

/** ChangePassword: needs the current password. */
export async function changePassword(cognito: Cognito, accessToken: string, current: string, proposed: string) {
  // No password of the user's can fail Cognito's PasswordType: a current one that does is wrong (docs/API.md: 400).
  assertPasswordType(current, new AuthError("invalid_credentials", { status: 400 }));
  assertPasswordType(proposed);
  const input = { AccessToken: accessToken, PreviousPassword: current, ProposedPassword: proposed };
  await cognito.call("ChangePassword", input, "change-password");
}

/** GlobalSignOut: invalidates every refresh token of the user. Idempotent, so safe to retry. */
export async function globalSignOut(cognito: Cognito, accessToken: string): Promise<void> {
  await cognito.call("GlobalSignOut", { AccessToken: accessToken }, "bearer", { retry: true });
}
