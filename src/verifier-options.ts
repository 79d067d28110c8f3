import { type Config, ConfigError, parseConfig, perEnv } from "./config";
import { buildVerifier, type Verifier } from "./tokens/verifier";
import type { VerifierBindings } from "./types";

/**
 * The variables token verification reads (docs/API.md). A host app's other
 * variables are its own, also where their names are the Worker's (LOG_LEVEL,
 * CORS_ORIGINS, ...): the verifier never looks at them.
 */
export const VERIFIER_VARIABLES = [
  "AWS_REGION",
  "COGNITO_USER_POOL_ID",
  "COGNITO_CLIENT_ID",
  "COGNITO_ENDPOINT",
  "COGNITO_ISSUER",
  "COGNITO_ISSUER_FORMAT",
  "COGNITO_TIMEOUT_MS",
  "EDGE_SECRET",
  "EDGE_SECRET_PREVIOUS",
  "EDGE_SECRET_PREVIOUS_UNTIL",
] as const satisfies readonly (keyof VerifierBindings)[];

/** Options of createVerifier, in the style of aws-jwt-verify's `CognitoJwtVerifier.create()`. */
export interface VerifierOptions {
  /** The user pool, e.g. `eu-west-1_AbCdEf123`. */
  userPoolId: string;
  /** The app client whose access tokens are accepted (`client_id` claim). */
  clientId: string;
  /** The Region of the Cognito API the verifier asks about revoked tokens; default: the pool id's prefix. */
  region?: string;
  /** One or two accepted issuers, replacing the pool's two derived ones (the first serves the JWKS). */
  issuer?: string | string[];
  /** Which derived issuer serves the JWKS (the pool's IssuerConfiguration); not with `issuer`. */
  issuerFormat?: "original" | "updated";
  /** Timeout of the JWKS fetch and of Cognito calls, 100 to 60000 ms; default 5000. */
  timeoutMs?: number;
  /** The Cognito API endpoint; default `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string;
  /** The Worker's EDGE_SECRET (32 bytes or more): turns on the authenticated JWKS copy in the Cache API. */
  secret?: string;
  /** The REVOCATIONS KV namespace: tokens revoked by a logout are refused. */
  revocations?: KVNamespace;
}

type OptionName = Exclude<keyof VerifierOptions, "revocations">;

/** The variable each option stands for: an option is checked exactly as its variable is. */
const VARIABLE_OF = {
  region: "AWS_REGION",
  userPoolId: "COGNITO_USER_POOL_ID",
  clientId: "COGNITO_CLIENT_ID",
  issuer: "COGNITO_ISSUER",
  issuerFormat: "COGNITO_ISSUER_FORMAT",
  timeoutMs: "COGNITO_TIMEOUT_MS",
  endpoint: "COGNITO_ENDPOINT",
  secret: "EDGE_SECRET",
} as const satisfies Record<OptionName, (typeof VERIFIER_VARIABLES)[number]>;


const text = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

/** The pool id's Region prefix (aws-jwt-verify derives it the same way). */
const regionOf = (poolId: unknown): string | undefined => (typeof poolId === "string" ? poolId.split("_")[0] : undefined);

/** The Config of `options`; a malformed option is a ConfigError naming the option. */
function configOf(options: Partial<VerifierOptions>): Config {
  const issuers = options.issuer === undefined ? undefined : [options.issuer].flat().join(",");
  const env: Record<(typeof VARIABLE_OF)[OptionName], string | undefined> = {
    AWS_REGION: text(options.region) ?? regionOf(options.userPoolId),
    COGNITO_USER_POOL_ID: text(options.userPoolId),
    COGNITO_CLIENT_ID: text(options.clientId),
    COGNITO_ISSUER: issuers,
    COGNITO_ISSUER_FORMAT: text(options.issuerFormat),
    COGNITO_TIMEOUT_MS: text(options.timeoutMs),
    COGNITO_ENDPOINT: text(options.endpoint),
    EDGE_SECRET: text(options.secret),
  };
  try {
    return parseConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // A Region derived from a malformed pool id is the pool id's fault.
    const optionOf = (variable: string) =>
      variable === "AWS_REGION" && options.region === undefined
        ? "userPoolId"
        : (Object.keys(VARIABLE_OF) as OptionName[]).find((name) => VARIABLE_OF[name] === variable) ?? variable;
    throw new ConfigError([...new Set(err.variables.map(optionOf))]);
  }
}

/**
 * A token verifier, built once and shared by every request that uses it (its
 * JWKS, verified tokens and Cognito's verdicts live in it). From explicit
 * options: `createVerifier({ userPoolId, clientId })`, reading no env at all;
 * throws ConfigError naming a malformed option. From a Config parsed with
 * parseConfig, with the REVOCATIONS namespace if any.
 */
export function createVerifier(options: VerifierOptions): Verifier;
export function createVerifier(config: Config, revocations?: KVNamespace): Verifier;
export function createVerifier(options: VerifierOptions | Config, revocations?: KVNamespace): Verifier {
  if ("jwksUrl" in options) return buildVerifier(options, revocations);
  return buildVerifier(configOf(options), options.revocations);
}

/**
 * The verifier of the verifier options among `options` (requireAuth's), or
 * undefined when there are none; options given are the verifier's whole
 * configuration, so one missing is a ConfigError, not a fall-back to the env.
 */
export function verifierOfOptions(options: Partial<VerifierOptions>): Verifier | undefined {
  const given = [...Object.keys(VARIABLE_OF), "revocations"].some((name) => name in options);
  return given ? buildVerifier(configOf(options), options.revocations) : undefined;
}

/**
 * The token verifier of this env, built on first use and held for the isolate.
 * Reads only VERIFIER_VARIABLES and REVOCATIONS, so a host app's own variables
 * cannot break it; a malformed one of those is logged once (its name only) and
 * thrown as ConfigError on every call.
 */
export const verifierFor = perEnv((env: Partial<VerifierBindings>): Verifier => {
  const own = Object.fromEntries(VERIFIER_VARIABLES.map((name) => [name, env[name]]));
  return buildVerifier(parseConfig(own), env.REVOCATIONS);
});
