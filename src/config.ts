import * as z from "zod/mini";
import { log } from "./log";

const list = z.pipe(
  z.optional(z.string()),
  z.transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ),
);
const optionalText = z.pipe(
  z.optional(z.string()),
  z.transform((v) => (v && v.trim() !== "" ? v.trim() : undefined)),
);
const httpUrl = z.string().check(
  z.refine((v) => {
    try {
      return /^https?:$/.test(new URL(v).protocol);
    } catch {
      return false;
    }
  }),
);
const optionalUrl = z.pipe(optionalText, z.optional(httpUrl));
const origin = z.pipe(httpUrl, z.transform((u) => new URL(u).origin));

const EnvSchema = z.object({
  AWS_REGION: z.string().check(z.regex(/^[a-z]{2,}(-[a-z]+)+-\d+$|^local$/)),
  COGNITO_USER_POOL_ID: z.string().check(z.regex(/^[\w-]+_[0-9A-Za-z]+$/)),
  COGNITO_CLIENT_ID: z.string().check(z.regex(/^[\w+]{1,128}$/)),
  COGNITO_CLIENT_SECRET: optionalText,
  COGNITO_ENDPOINT: optionalUrl,
  // One or two issuers (a pool between issuer formats); replaces the derived pair.
  COGNITO_ISSUER: z.pipe(list, z.array(httpUrl).check(z.maxLength(2))),
  COGNITO_ISSUER_FORMAT: z.pipe(optionalText, z.optional(z.enum(["original", "updated"]))),
  // 100 to 60000 ms.
  COGNITO_USER_CONTEXT_IP: z.pipe(optionalText, z.optional(z.enum(["on", "off"]))),
  COGNITO_TIMEOUT_MS: z.pipe(optionalText, z.optional(z.string().check(z.regex(/^([1-9]\d{2,3}|[1-5]\d{4}|60000)$/)))),
  AWS_ACCESS_KEY_ID: optionalText,
  AWS_SECRET_ACCESS_KEY: optionalText,
  AWS_SESSION_TOKEN: optionalText,
  ADMIN_GROUP: optionalText,
  REFRESH_TOKEN_DELIVERY: z.pipe(optionalText, z.optional(z.enum(["cookie", "body", "both"]))),
  CORS_ORIGINS: z.pipe(list, z.array(origin)),
  PUBLIC_PATHS: z.pipe(list, z.array(z.string().check(z.startsWith("/")))),
  COGNITO_DOMAIN: optionalUrl,
  OAUTH_REDIRECT_URI: optionalUrl,
  OAUTH_RETURN_ORIGINS: z.pipe(list, z.array(origin)),
  OAUTH_STATE_SECRET: optionalText,
  TOTP_ISSUER: optionalText,
  RATE_LIMITS: optionalText,
  LOG_LEVEL: z.pipe(optionalText, z.optional(z.enum(["info", "warn", "error"]))),
  // 0 to 86400 s (a day, Cognito's longest access-token life).
  REAUTH_MAX_AGE_S: z.pipe(optionalText, z.optional(z.string().check(z.regex(/^(\d{1,5})$/), z.refine((v) => Number(v) <= 86400)))),
  WRITABLE_ATTRIBUTES: z.pipe(list, z.array(z.string().check(z.regex(/^[A-Za-z0-9_:.-]{1,64}$/)))),
});

/**
 * The attributes users may write by default: OIDC's standard profile claims
 * that Cognito lets a user set. Anything else (custom:*, for example) must be
 * listed in WRITABLE_ATTRIBUTES, so no client can grant itself a role.
 */
const DEFAULT_WRITABLE = [
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "address",
  "phone_number",
  "email",
];

export type RefreshDelivery = "cookie" | "body" | "both";

/** Actions limited per account and per client IP. */
export const LIMITED_ACTIONS = ["login", "challenge", "register", "verify", "resend-code", "forgot-password", "reset-password"] as const;
export type LimitedAction = (typeof LIMITED_ACTIONS)[number];
export interface Limit {
  limit: number;
  windowS: number;
}

/**
 * Per-account defaults: enough for a real user who mistypes, few enough that
 * guessing one password is hopeless (10 per 15 minutes is ~1,000 a day), and
 * short windows, so a lock-out by an attacker lasts minutes, not days.
 */
const DEFAULT_LIMITS: Record<LimitedAction, Limit> = {
  login: { limit: 10, windowS: 900 },
  challenge: { limit: 10, windowS: 900 },
  register: { limit: 5, windowS: 3600 },
  verify: { limit: 10, windowS: 900 },
  "resend-code": { limit: 5, windowS: 3600 },
  "forgot-password": { limit: 5, windowS: 3600 },
  "reset-password": { limit: 10, windowS: 900 },
};

/** `login=10/900,register=5/3600`: overrides of DEFAULT_LIMITS; undefined when malformed. */
function parseLimits(value: string | undefined): Record<LimitedAction, Limit> | undefined {
  const limits = { ...DEFAULT_LIMITS };
  for (const entry of (value ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const match = /^([a-z-]+)=(\d{1,6})\/(\d{1,6})$/.exec(entry);
    const action = match?.[1] as LimitedAction | undefined;
    if (!match || !action || !(LIMITED_ACTIONS as readonly string[]).includes(action) || Number(match[3]) < 1) return undefined;
    limits[action] = { limit: Number(match[2]), windowS: Number(match[3]) };
  }
  return limits;
}

/** The Worker's configuration: every variable of docs/API.md, parsed and derived once. */
export interface Config {
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
  /** Send the user's IP to Cognito threat protection (UserContextData.IpAddress). */
  sendUserIp: boolean;
  endpoint: string;
  /** The issuer whose host serves the JWKS: the first of `issuers`. */
  issuer: string;
  /** Every `iss` accepted: the pool's two issuer formats, or COGNITO_ISSUER. */
  issuers: string[];
  jwksUrl: string;
  timeoutMs: number;
  aws?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  adminGroup: string;
  refreshDelivery: RefreshDelivery;
  corsOrigins: string[];
  publicPaths: string[];
  oauth?: { domain: string; redirectUri: string; returnOrigins: string[]; stateSecret: string };
  /** Issuer label shown by authenticator apps. */
  totpIssuer: string;
  /** `info` logs every request; `warn` and `error` only failed ones (5xx). */
  logLevel: "info" | "warn" | "error";
  /** Sensitive changes need a sign-in at most this many seconds old (RFC 9470 step-up). */
  reauthMaxAgeS: number;
  /** Attributes clients may set at registration and in PATCH /auth/me. */
  writableAttributes: string[];
  /** Per-account attempt limits (RATE_LIMITS over the defaults). */
  limits: Record<LimitedAction, Limit>;
}

/** Thrown when a variable is missing or malformed; names the variable only. */
export class ConfigError extends Error {
  constructor(readonly variables: string[]) {
    super(`invalid configuration: ${variables.join(", ")}`);
    this.name = "ConfigError";
  }
}

/** Parses an env record into a Config; throws ConfigError naming bad variables. */
export function parseConfig(env: Record<string, unknown>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const names = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "env")));
    throw new ConfigError([...names]);
  }
  const e = parsed.data;
  if (e.COGNITO_DOMAIN && !e.OAUTH_REDIRECT_URI) throw new ConfigError(["OAUTH_REDIRECT_URI"]);
  // The OAuth state cookie is signed: with the client secret, or a secret of its own.
  const stateSecret = e.OAUTH_STATE_SECRET ?? e.COGNITO_CLIENT_SECRET;
  if (e.COGNITO_DOMAIN && !stateSecret) throw new ConfigError(["OAUTH_STATE_SECRET"]);
  if (!e.AWS_ACCESS_KEY_ID !== !e.AWS_SECRET_ACCESS_KEY) {
    throw new ConfigError([e.AWS_ACCESS_KEY_ID ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"]);
  }
  // AWS takes the IP only from a client with a secret (EnablePropagateAdditionalUserContextData).
  const sendUserIp = e.COGNITO_USER_CONTEXT_IP === "on";
  if (sendUserIp && !e.COGNITO_CLIENT_SECRET) throw new ConfigError(["COGNITO_USER_CONTEXT_IP"]);
  const limits = parseLimits(e.RATE_LIMITS);
  if (!limits) throw new ConfigError(["RATE_LIMITS"]);
  const endpoint = withSlash(e.COGNITO_ENDPOINT ?? `https://cognito-idp.${e.AWS_REGION}.amazonaws.com/`);
  if (e.COGNITO_ISSUER.length && e.COGNITO_ISSUER_FORMAT) throw new ConfigError(["COGNITO_ISSUER_FORMAT"]);
  const issuers = e.COGNITO_ISSUER.length
    ? [...new Set(e.COGNITO_ISSUER.map((i) => i.replace(/\/+$/, "")))]
    : poolIssuers(e.COGNITO_USER_POOL_ID, e.COGNITO_ISSUER_FORMAT === "updated");
  return {
    region: e.AWS_REGION,
    userPoolId: e.COGNITO_USER_POOL_ID,
    clientId: e.COGNITO_CLIENT_ID,
    clientSecret: e.COGNITO_CLIENT_SECRET,
    sendUserIp,
    endpoint,
    issuer: issuers[0],
    issuers,
    jwksUrl: `${issuers[0]}/.well-known/jwks.json`,
    timeoutMs: Number(e.COGNITO_TIMEOUT_MS ?? 5000),
    aws:
      e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: e.AWS_ACCESS_KEY_ID,
            secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
            sessionToken: e.AWS_SESSION_TOKEN,
          }
        : undefined,
    adminGroup: e.ADMIN_GROUP ?? "admin",
    refreshDelivery: e.REFRESH_TOKEN_DELIVERY ?? "cookie",
    corsOrigins: e.CORS_ORIGINS,
    publicPaths: e.PUBLIC_PATHS,
    oauth:
      e.COGNITO_DOMAIN && e.OAUTH_REDIRECT_URI && stateSecret
        ? {
            domain: e.COGNITO_DOMAIN.replace(/\/+$/, ""),
            redirectUri: e.OAUTH_REDIRECT_URI,
            returnOrigins: e.OAUTH_RETURN_ORIGINS,
            stateSecret,
          }
        : undefined,
    totpIssuer: e.TOTP_ISSUER ?? "cognito-edge",
    limits,
    logLevel: e.LOG_LEVEL ?? "info",
    reauthMaxAgeS: Number(e.REAUTH_MAX_AGE_S ?? 300),
    writableAttributes: e.WRITABLE_ATTRIBUTES.length ? e.WRITABLE_ATTRIBUTES : DEFAULT_WRITABLE,
  };
}

/**
 * The pool's two issuers (IssuerConfigurationType): ORIGINAL
 * `https://cognito-idp.<region>.amazonaws.com/<pool>` and UPDATED
 * `https://issuer-cognito-idp.<region>.amazonaws.com/<pool>`, where region is
 * the pool's primary Region, the prefix of its id (also for a replica in
 * another Region). A pool switched between them has live tokens of both; the
 * chosen format comes first, and its host serves the JWKS.
 */
export function poolIssuers(poolId: string, updated = false): string[] {
  const tail = `cognito-idp.${poolId.split("_")[0]}.amazonaws.com/${poolId}`;
  const pair = [`https://${tail}`, `https://issuer-${tail}`];
  return updated ? pair.reverse() : pair;
}

const withSlash = (u: string): string => (u.endsWith("/") ? u : `${u}/`);

const cache = new WeakMap<object, Config | ConfigError>();

/**
 * The Config for this env, parsed on first use and remembered for the isolate.
 * A bad config is logged once (variable names only) and rethrown on every call.
 */
export function configFor(env: object): Config {
  let entry = cache.get(env);
  if (!entry) {
    try {
      entry = parseConfig(env as Record<string, unknown>);
    } catch (err) {
      entry = err instanceof ConfigError ? err : new ConfigError(["env"]);
      log("error", "config_invalid", { variables: entry.variables });
    }
    cache.set(env, entry);
  }
  if (entry instanceof ConfigError) throw entry;
  return entry;
}
