// What the stand-in knows of each user pool's configuration that cognito-local
// does not hold: the first factors of choice-based sign-in
// (SignInPolicy.AllowedFirstAuthFactors, set by CreateUserPool or UpdateUserPool).
import type { FirstFactor } from "./user-auth";

export interface PoolPolicy {
  /** SignInPolicy.AllowedFirstAuthFactors. */
  firstFactors: FirstFactor[];
}

export const ALL_FIRST_FACTORS: FirstFactor[] = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

/** The pools' policies, with `fallback` for a pool not listed. */
export class PoolPolicies {
  constructor(
    private readonly pools: Record<string, PoolPolicy>,
    private readonly fallback: FirstFactor[],
  ) {}

  firstFactors(poolId: string | undefined): FirstFactor[] {
    return (poolId && this.pools[poolId]?.firstFactors) || this.fallback;
  }

  /** Sign-up without a password is allowed where a one-time code can sign the user in. */
  allowsPasswordless(poolId: string | undefined): boolean {
    const factors = this.firstFactors(poolId);
    return factors.includes("EMAIL_OTP") || factors.includes("SMS_OTP");
  }
}
