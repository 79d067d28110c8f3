import * as z from "zod/mini";
import { AuthError } from "../errors";

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

export const AttributeList = z.lazy(() => z.array(z.object({ Name: z.string(), Value: z.optional(z.string()) })));

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
}));
export type AuthResponse = z.infer<typeof AuthResponse>;

/** docs/API.md's `delivery` from Cognito's CodeDeliveryDetails, if a code was sent. */
export const toDelivery = (d: CodeDelivery | undefined) =>
  d?.DeliveryMedium ? { medium: d.DeliveryMedium, destination: d.Destination ?? "" } : undefined;
