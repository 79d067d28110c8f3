/**
 * `cognito-edge/client`: a typed client of the Worker's HTTP API for
 * browsers, Workers and Node. Types come from the server's own schemas;
 * nothing of the server is bundled with it.
 */
export type {
  AdminUser,
  AdminUserPage,
  AuthFactors,
  CodeSent,
  Confirmed,
  ConfirmedSignedIn,
  Delivery,
  Health,
  Passkey,
  PasskeyList,
  PasskeyRegistration,
  PasswordReset,
  Profile,
  Registered,
  SessionAnswer,
  SessionList,
  TotpSetup,
  UpdatedProfile,
  UserSession,
} from "../answers";
export type { ErrorCode, FieldError } from "../errors";
export type { Challenge, Method } from "../schemas";
export { ApiError, type ClientErrorCode } from "./api-error";
export { CognitoEdgeClient } from "./client";
export type { RetryOptions } from "./retry";
export type {
  ChallengeResponse,
  ClientOptions,
  Identity,
  Input,
  PasskeyCredential,
  RefreshTokenStorage,
  SessionUser,
  SignedOutReason,
  SignInResult,
} from "./types";
