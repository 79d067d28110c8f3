import * as z from "zod/mini";
import { AuthError } from "../errors";
import { maskDestination } from "../masks";
import { AttributeList, fromAttributeList } from "./attributes";

/** Parses a Cognito response with `schema`; a surprising shape is an upstream fault, not ours. */
export function parseResponse<T>(schema: z.ZodMiniType<T>, value: unknown, op: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AuthError("upstream_unavailable", { cause: { op, reason: "response shape" } });
  }
  return parsed.data;
}

export const CodeDelivery = z.lazy(() => z.object({
  AttributeName: z.optional(z.string()),
  DeliveryMedium: z.optional(z.string()),
  Destination: z.optional(z.string()),
}));
export type CodeDelivery = z.infer<typeof CodeDelivery>;

/** A user as Cognito describes one, whichever operation: its attributes as one `{ name: value }` map. */
export interface CognitoUser {
  username: string;
  attributes: Record<string, string>;
  /** The admin operations' fields; GetUser has none of them. */
  enabled?: boolean;
  status?: string;
  /** Seconds since the epoch. */
  createdAt?: number;
}

const UserType = z.lazy(() => z.object({
  Username: z.string(),
  Attributes: z.optional(AttributeList),
  UserAttributes: z.optional(AttributeList),
  Enabled: z.optional(z.boolean()),
  UserStatus: z.optional(z.string()),
  UserCreateDate: z.optional(z.number()),
}));

const toCognitoUser = (user: z.infer<typeof UserType>): CognitoUser => ({
  username: user.Username,
  attributes: fromAttributeList(user.UserAttributes ?? user.Attributes),
  enabled: user.Enabled,
  status: user.UserStatus,
  createdAt: user.UserCreateDate,
});

/** UserType of ListUsers and AdminCreateUser (`Attributes`), and AdminGetUser's answer (`UserAttributes`). */
export const CognitoUser = z.lazy(() => z.pipe(UserType, z.transform(toCognitoUser)));

/** GetUser's answer: the signed-in user, whose attributes are never missing. */
export const GetUserResponse = z.lazy(() =>
  z.pipe(z.object({ Username: z.string(), UserAttributes: AttributeList }), z.transform((user) => toCognitoUser(user))),
);

export const AuthenticationResult = z.lazy(() => z.object({
  AccessToken: z.string(),
  IdToken: z.optional(z.string()),
  RefreshToken: z.optional(z.string()),
  ExpiresIn: z.optional(z.number()),
  TokenType: z.optional(z.string()),
}));
export type AuthenticationResult = z.infer<typeof AuthenticationResult>;

export const AuthResponse = z.lazy(() => z.object({
  AuthenticationResult: z.optional(AuthenticationResult),
  ChallengeName: z.optional(z.string()),
  Session: z.optional(z.string()),
  ChallengeParameters: z.optional(z.record(z.string(), z.string())),
  AvailableChallenges: z.optional(z.array(z.string())),
}));
export type AuthResponse = z.infer<typeof AuthResponse>;

/** docs/API.md's `delivery` from Cognito's CodeDeliveryDetails, if a code was sent; the destination masked. */
export const toDelivery = (d: CodeDelivery | undefined) =>
  d?.DeliveryMedium ? { medium: d.DeliveryMedium, destination: maskDestination(d.DeliveryMedium, d.Destination ?? "") } : undefined;
