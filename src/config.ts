import * as z from "zod/mini";
import { type Limit, type LimitedAction, parseLimits } from "./limits/policy";
import { log } from "./log";
import { DEFAULT_WRITABLE } from "./profile";
import type { EdgeKeys } from "./seal/keys";
import { parseSecrets } from "./seal/secrets-config";
import { parseSessionMode, type SessionMode } from "./session/mode-config";
import { METHODS, type Method } from "./schemas";

const list = z.lazy(() => z.pipe(
  z.optional(z.string()),
  z.transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ),
));
const optionalText = z.lazy(() => z.pipe(
  z.optional(z.string()),
  z.transform((v) => (v && v.trim() !== "" ? v.trim() : undefined)),
));
/** Loopback hosts, where plain http is fine for local development. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
/** An https URL; http only on a loopback host. Tokens, codes and cookies never cross the network in clear. */
export const secureUrl = z.lazy(() => z.string().check(
  z.refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname));
    } catch {
      return false;
    }
  }),
));
const optionalUrl = z.lazy(() => z.pipe(optionalText, z.optional(secureUrl)));
const requiredUrl = z.lazy(() => z.pipe(optionalText, secureUrl));
const origins = z.lazy(() => z.pipe(list, z.array(z.pipe(secureUrl, z.transform((u) => new URL(u).origin)))));
/** A host name with an optional port, as URL.host spells it (lower case, no default port). */
const hostOf = (v: string) => new URL(`https://${v}`).host;
const host = z.lazy(() => z.pipe(
  z.string().check(z.regex(/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/), z.refine((v) => URL.canParse(`https://${v}`))),
  z.transform(hostOf),
));
const requiredText = z.lazy(() => z.pipe(optionalText, z.string()));

const EnvSchema = z.lazy(() => z.object({
  AWS_REGION: z.string().check(z.regex(/^[a-z]{2,}(-[a-z]+)+-\d+$|^local$/)),
  COGNITO_USER_POOL_ID: z.string().check(z.regex(/^[\w-]+_[0-9A-Za-z]+$/)),
  COGNITO_CLIENT_ID: z.string().check(z.regex(/^[\w+]{1,128}$/)),
  COGNITO_CLIENT_SECRET: optionalText,
  COGNITO_ENDPOINT: optionalUrl,
  // One or two issuers (a pool between issuer formats); replaces the derived pair.
  COGNITO_ISSUER: z.pipe(list, z.array(secureUrl).check(z.maxLength(2))),
  COGNITO_ISSUER_FORMAT: z.pipe(optionalText, z.optional(z.enum(["original", "updated"]))),
  COGNITO_USER_CONTEXT_IP: z.pipe(optionalText, z.optional(z.enum(["on", "off"]))),
  // 100 to 60000 ms.
  COGNITO_TIMEOUT_MS: z.pipe(optionalText, z.optional(z.string().check(z.regex(/^([1-9]\d{2,3}|[1-5]\d{4}|60000)$/)))),
  ADMIN_GROUP: optionalText,
  REFRESH_TOKEN_DELIVERY: z.pipe(optionalText, z.optional(z.enum(["cookie", "body", "both"]))),
  REFRESH_ROTATION: z.pipe(optionalText, z.optional(z.enum(["on", "off"]))),
  CORS_ORIGINS: origins,
  PUBLIC_PATHS: z.pipe(list, z.array(z.string().check(z.startsWith("/")))),
  GATEWAY_FORWARD_AUTHORIZATION: z.pipe(optionalText, z.optional(z.enum(["on", "off"]))),
  AUTH_HOST: z.pipe(optionalText, z.optional(host)),
  TOTP_ISSUER: optionalText,
  RATE_LIMITS: optionalText,
  // Country calling codes (or longer prefixes) SMS may go to; `*` for any; unset, none.
  SMS_COUNTRY_CODES: z.pipe(list, z.array(z.string().check(z.regex(/^(\d{1,6}|\*)$/)))),
  SMS_HOURLY_LIMIT: z.pipe(optionalText, z.optional(z.string().check(z.regex(/^\d{1,7}$/)))),
  LOG_LEVEL: z.pipe(optionalText, z.optional(z.enum(["info", "warn", "error"]))),
  // 0 to 1: the share of successful forwarded requests that get a log line.
  GATEWAY_LOG_SAMPLE_RATE: z.pipe(optionalText, z.optional(z.string().check(z.regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/)))),
  // 0 to 86400 s (a day, Cognito's longest access-token life).
  REAUTH_MAX_AGE_S: z.pipe(optionalText, z.optional(z.string().check(z.regex(/^(\d{1,5})$/), z.refine((v) => Number(v) <= 86400)))),
  WRITABLE_ATTRIBUTES: z.pipe(list, z.array(z.string().check(z.regex(/^[A-Za-z0-9_:.-]{1,64}$/)))),
  FIRST_FACTORS: z.pipe(list, z.array(z.enum(METHODS))),
  PASSKEY_RP_ID: z.pipe(optionalText, z.optional(z.string().check(z.regex(/^[a-z0-9.-]{1,253}$/)))),
  // WebAuthn's timeout in ms: 10 s to 10 min.
  PASSKEY_TIMEOUT_MS: z.pipe(optionalText, z.optional(z.string().check(z.regex(/^\d{5,6}$/), z.refine((v) => Number(v) >= 10_000 && Number(v) <= 600_000)))),
  PASSKEY_USER_VERIFICATION: z.pipe(optionalText, z.optional(z.enum(["preferred", "required"]))),
}));

/**
 * Optional features. Configured incompletely or invalidly, a feature is switched
 * off (its routes answer 503) instead of taking every route down.
 */
const FEATURES = {
  oauth: z.object({
    COGNITO_DOMAIN: requiredUrl,
    OAUTH_REDIRECT_URI: requiredUrl,
    OAUTH_RETURN_ORIGINS: origins,
  }),
  admin: z.object({ AWS_ACCESS_KEY_ID: requiredText, AWS_SECRET_ACCESS_KEY: requiredText, AWS_SESSION_TOKEN: optionalText }),
};
type Feature = keyof typeof FEATURES;

/** The variables named by failed checks. */
const variablesOf = (error: z.core.$ZodError) => [...new Set(error.issues.map((i) => String(i.path[0] ?? "env")))];

/**
 * A feature's variables when they parse; undefined when none of `trigger` is set
 * (the feature is simply off) or when they do not parse (then noted in `disabled`).
 */
function parseFeature<F extends Feature>(env: Record<string, unknown>, feature: F, trigger: string[], disabled: Config["disabled"]) {
  if (!trigger.some((name) => typeof env[name] === "string" && env[name].trim() !== "")) return undefined;
  const parsed = FEATURES[feature].safeParse(env);
  if (parsed.success) return parsed.data as z.output<(typeof FEATURES)[F]>;
  disabled[feature] = variablesOf(parsed.error);
  return undefined;
}

type RefreshDelivery = "cookie" | "body" | "both";

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
  /** Refresh with GetTokensFromRefreshToken, which rotates the refresh token when the app client has rotation on. */
  refreshRotation: boolean;
  corsOrigins: string[];
  publicPaths: string[];
  /** `browser`: sign-ins from browsers answer a session cookie, never tokens (SESSION_MODE). */
  sessionMode: SessionMode;
  /** Forward the verified `Authorization` header to the upstream (GATEWAY_FORWARD_AUTHORIZATION=on). */
  forwardAuthorization: boolean;
  /** The one host that answers /auth and /admin and forwards nothing (AUTH_HOST). */
  authHost?: string;
  oauth?: { domain: string; redirectUri: string; returnOrigins: string[] };
  /** The Worker's keys, derived from EDGE_SECRET; undefined when it is unset (the auth routes then answer 500). */
  keys?: EdgeKeys;
  /** The first factors every SELECT_CHALLENGE offers, known account or not (FIRST_FACTORS). */
  firstFactors: Method[];
  /** The pool's passkey settings, repeated in every WEB_AUTHN challenge, known account or not. */
  passkey: { rpId?: string; timeoutMs: number; userVerification: "preferred" | "required" };
  /** Optional features switched off because their variables are incomplete or invalid: the variables at fault. */
  disabled: Partial<Record<Feature, string[]>>;
  /** Issuer label shown by authenticator apps. */
  totpIssuer: string;
  /** `info` logs every request; `warn` and `error` only failed ones (5xx). */
  logLevel: "info" | "warn" | "error";
  /** Share of successful forwarded requests logged at `info` (failures always are). */
  gatewayLogSampleRate: number;
  /** Sensitive changes need a sign-in at most this many seconds old (RFC 9470 step-up). */
  reauthMaxAgeS: number;
  /** Attributes clients may set at registration and in PATCH /auth/me. */
  writableAttributes: string[];
  /** Per-account and per-user attempt limits (RATE_LIMITS over the defaults). */
  limits: Record<LimitedAction, Limit>;
  /** Country calling codes SMS may go to (SMS_COUNTRY_CODES); `*`: any. */
  smsCountryCodes: string[] | "*";
  /** SMS the whole Worker sends per hour at most (SMS_HOURLY_LIMIT). */
  smsHourlyLimit: number;
}

/** Thrown when a variable is missing or malformed; names the variable only. */
export class ConfigError extends Error {
  constructor(readonly variables: string[]) {
    super(`invalid configuration: ${variables.join(", ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses an env record into a Config; throws ConfigError naming bad variables.
 * An optional feature configured badly is only switched off (`disabled`).
 */
export function parseConfig(env: Record<string, unknown>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(variablesOf(parsed.error));
  const e = parsed.data;
  // AWS takes the IP only from a client with a secret (EnablePropagateAdditionalUserContextData).
  const sendUserIp = e.COGNITO_USER_CONTEXT_IP === "on";
  if (sendUserIp && !e.COGNITO_CLIENT_SECRET) throw new ConfigError(["COGNITO_USER_CONTEXT_IP"]);
  const limits = parseLimits(e.RATE_LIMITS);
  if (!limits) throw new ConfigError(["RATE_LIMITS"]);
  const sessionMode = parseSessionMode(env);
  if (!sessionMode) throw new ConfigError(["SESSION_MODE"]);
  const disabled: Config["disabled"] = {};
  const secrets = parseSecrets(env);
  if (secrets.invalid.length) throw new ConfigError(secrets.invalid);
  const oauth = parseFeature(env, "oauth", ["COGNITO_DOMAIN", "OAUTH_REDIRECT_URI", "OAUTH_RETURN_ORIGINS"], disabled);
  const admin = parseFeature(env, "admin", ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"], disabled);
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
    aws: admin
      ? { accessKeyId: admin.AWS_ACCESS_KEY_ID, secretAccessKey: admin.AWS_SECRET_ACCESS_KEY, sessionToken: admin.AWS_SESSION_TOKEN }
      : undefined,
    adminGroup: e.ADMIN_GROUP ?? "admin",
    refreshDelivery: e.REFRESH_TOKEN_DELIVERY ?? "cookie",
    refreshRotation: e.REFRESH_ROTATION === "on",
    sessionMode,
    corsOrigins: e.CORS_ORIGINS,
    publicPaths: e.PUBLIC_PATHS,
    forwardAuthorization: e.GATEWAY_FORWARD_AUTHORIZATION === "on",
    authHost: e.AUTH_HOST,
    oauth: oauth && {
      domain: oauth.COGNITO_DOMAIN.replace(/\/+$/, ""),
      redirectUri: oauth.OAUTH_REDIRECT_URI,
      returnOrigins: oauth.OAUTH_RETURN_ORIGINS,
    },
    keys: secrets.keys,
    firstFactors: e.FIRST_FACTORS.length ? [...new Set(e.FIRST_FACTORS)] : ["password"],
    passkey: {
      rpId: e.PASSKEY_RP_ID,
      timeoutMs: Number(e.PASSKEY_TIMEOUT_MS ?? 180_000),
      userVerification: e.PASSKEY_USER_VERIFICATION ?? "preferred",
    },
    disabled,
    totpIssuer: e.TOTP_ISSUER ?? "cognito-edge",
    limits,
    smsCountryCodes: e.SMS_COUNTRY_CODES.includes("*") ? "*" : e.SMS_COUNTRY_CODES,
    smsHourlyLimit: Number(e.SMS_HOURLY_LIMIT ?? 100),
    logLevel: e.LOG_LEVEL ?? "info",
    gatewayLogSampleRate: Number(e.GATEWAY_LOG_SAMPLE_RATE ?? 0.01),
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
function poolIssuers(poolId: string, updated = false): string[] {
  const tail = `cognito-idp.${poolId.split("_")[0]}.amazonaws.com/${poolId}`;
  const pair = [`https://${tail}`, `https://issuer-${tail}`];
  return updated ? pair.reverse() : pair;
}

const withSlash = (u: string): string => (u.endsWith("/") ? u : `${u}/`);

/**
 * `build` memoized per env object for the life of the isolate, as workerd hands
 * every request the same env. A failure is held too: logged once (variable names
 * only, never values) and rethrown as ConfigError on every call.
 */
export function perEnv<E extends object, T>(build: (env: E) => T): (env: E) => T {
  const held = new WeakMap<E, T | ConfigError>();
  return (env) => {
    let entry = held.get(env);
    if (entry === undefined) {
      try {
        entry = build(env);
      } catch (err) {
        entry = err instanceof ConfigError ? err : new ConfigError(["env"]);
        log("error", "config_invalid", { variables: entry.variables });
      }
      held.set(env, entry);
    }
    if (entry instanceof ConfigError) throw entry;
    return entry;
  };
}

/**
 * The Config for this env, parsed on first use and remembered for the isolate.
 * A bad config is logged once (variable names only) and rethrown on every call;
 * optional features switched off are logged once as a warning.
 */
export const configFor = perEnv((env: object): Config => {
  const config = parseConfig(env as Record<string, unknown>);
  // Once per isolate and env, as the invalid case: features off, variables named, never values.
  if (Object.keys(config.disabled).length) log("warn", "config_features_disabled", { disabled: config.disabled });
  // Earlier versions keyed the OAuth state with it; the state key now derives from EDGE_SECRET.
  const stale = (env as Record<string, unknown>).OAUTH_STATE_SECRET;
  if (typeof stale === "string" && stale.trim()) log("warn", "config_variable_ignored", { variables: ["OAUTH_STATE_SECRET"], use: "EDGE_SECRET" });
  return config;
});
