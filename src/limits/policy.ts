/** Actions limited per account (or per user) and per client IP. */
const LIMITED_ACTIONS = [
  "login",
  "challenge",
  "register",
  "verify",
  "resend-code",
  "send-code",
  "attribute-code",
  "forgot-password",
  "reset-password",
  "change-password",
  "verify-attribute",
  "totp-verify",
] as const;
export type LimitedAction = (typeof LIMITED_ACTIONS)[number];

/** Actions that send an email or SMS: every request counts, so nobody can flood an inbox. */
export type SendingAction = "register" | "resend-code" | "send-code" | "attribute-code" | "forgot-password";
/** Actions that check a secret (password, code, session): only failed guesses count. */
export type GuessAction = Exclude<LimitedAction, SendingAction>;

export interface Limit {
  limit: number;
  windowS: number;
}

/**
 * Defaults: enough for a real user who mistypes, few enough that guessing one
 * password is hopeless (10 failures per 15 minutes is ~1,000 a day), and short
 * windows, so a lock-out by an attacker lasts minutes, not days.
 */
const DEFAULT_LIMITS: Record<LimitedAction, Limit> = {
  login: { limit: 10, windowS: 900 },
  challenge: { limit: 10, windowS: 900 },
  register: { limit: 5, windowS: 3600 },
  verify: { limit: 10, windowS: 900 },
  "resend-code": { limit: 5, windowS: 3600 },
  // Sign-in codes: a passwordless user signs in with one each time, on each device.
  "send-code": { limit: 10, windowS: 3600 },
  "attribute-code": { limit: 5, windowS: 3600 },
  "forgot-password": { limit: 5, windowS: 3600 },
  "reset-password": { limit: 10, windowS: 900 },
  "change-password": { limit: 10, windowS: 900 },
  "verify-attribute": { limit: 10, windowS: 900 },
  "totp-verify": { limit: 10, windowS: 900 },
};

/** `login=10/900,register=5/3600` (RATE_LIMITS): overrides of the defaults; undefined when malformed. */
export function parseLimits(value: string | undefined): Record<LimitedAction, Limit> | undefined {
  const limits = { ...DEFAULT_LIMITS };
  for (const entry of (value ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const match = /^([a-z-]+)=(\d{1,6})\/(\d{1,6})$/.exec(entry);
    const action = LIMITED_ACTIONS.find((a) => a === match?.[1]);
    if (!match || !action || Number(match[3]) < 1) return undefined;
    limits[action] = { limit: Number(match[2]), windowS: Number(match[3]) };
  }
  return limits;
}

/**
 * The ceiling per destination (an email address or phone number) at a sending
 * action, over the budget the account's trusted devices share and everyone
 * else's: one and a half budgets, so that strangers who spend theirs leave the
 * owner at least half a budget, while one destination gets less than both.
 */
export const ceilingOf = ({ limit, windowS }: Limit): Limit => ({ limit: limit + Math.ceil(limit / 2), windowS });

/**
 * Whether an E.164 number's country calling code is allowed SMS
 * (SMS_COUNTRY_CODES: calling codes or longer prefixes, such as `1` or `44`;
 * `*` for any). Calling codes are a prefix code (ITU-T E.164), so a prefix
 * match names one country or zone.
 */
export const smsAllowed = (allowed: string[] | "*", phone: string): boolean =>
  allowed === "*" || allowed.some((prefix) => phone.startsWith(`+${prefix}`));
