// The environment of `npm run test:live`: which variables, which are needed,
// and the verdict — nothing set (skip), some set (refuse), or ready.

/** @type {{ name: string, need: "always" | "without LIVE_URL" | "optional", meaning: string }[]} */
export const VARIABLES = [
  { name: "LIVE_AWS_REGION", need: "always", meaning: "the pool's region, e.g. us-east-1" },
  { name: "LIVE_USER_POOL_ID", need: "always", meaning: "the pool, e.g. us-east-1_AbC123 (email as username, as scripts/create-pool.sh makes it)" },
  { name: "LIVE_CLIENT_ID", need: "without LIVE_URL", meaning: "its app client (ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH, token revocation)" },
  { name: "LIVE_AWS_ACCESS_KEY_ID", need: "always", meaning: "IAM credentials with the policy in docs/deploy.md, \"Live-pool test\"" },
  { name: "LIVE_AWS_SECRET_ACCESS_KEY", need: "always", meaning: "" },
  { name: "LIVE_EMAIL_DOMAIN", need: "always", meaning: "domain of the test users, cognito-edge-live+<uuid>@<domain>; Cognito mails them a code" },
  { name: "LIVE_CLIENT_SECRET", need: "optional", meaning: "the app client's secret, when it has one" },
  { name: "LIVE_AWS_SESSION_TOKEN", need: "optional", meaning: "with temporary credentials" },
  { name: "LIVE_URL", need: "optional", meaning: "a deployed Worker on the same pool; else the script runs `wrangler dev` itself" },
];

/** The variables as a table, for the skip and refuse messages. */
export function usage() {
  const width = Math.max(...VARIABLES.map((v) => v.name.length));
  return VARIABLES.map((v) => `  ${v.name.padEnd(width)}  ${v.need.padEnd(16)}  ${v.meaning}`.trimEnd()).join("\n");
}

/**
 * Reads LIVE_* from `env` (empty counts as unset).
 * @returns {{ kind: "skip" } | { kind: "refuse", missing: string[] } | { kind: "ready", config: LiveConfig }}
 */
export function readLiveEnv(env) {
  const value = (name) => (env[name] ? String(env[name]) : undefined);
  if (!VARIABLES.some((v) => value(v.name))) return { kind: "skip" };
  const url = value("LIVE_URL");
  const missing = VARIABLES.filter((v) => (v.need === "always" || (v.need === "without LIVE_URL" && !url)) && !value(v.name)).map(
    (v) => v.name,
  );
  if (missing.length) return { kind: "refuse", missing };
  const region = String(value("LIVE_AWS_REGION"));
  return {
    kind: "ready",
    config: {
      region,
      poolId: String(value("LIVE_USER_POOL_ID")),
      clientId: value("LIVE_CLIENT_ID"),
      clientSecret: value("LIVE_CLIENT_SECRET"),
      aws: {
        accessKeyId: String(value("LIVE_AWS_ACCESS_KEY_ID")),
        secretAccessKey: String(value("LIVE_AWS_SECRET_ACCESS_KEY")),
        sessionToken: value("LIVE_AWS_SESSION_TOKEN"),
      },
      emailDomain: String(value("LIVE_EMAIL_DOMAIN")),
      url,
      endpoint: `https://cognito-idp.${region}.amazonaws.com/`,
    },
  };
}

/**
 * @typedef {{
 *   region: string, poolId: string, clientId?: string, clientSecret?: string,
 *   aws: { accessKeyId: string, secretAccessKey: string, sessionToken?: string },
 *   emailDomain: string, url?: string,
 *   endpoint: string, issuer?: string,
 * }} LiveConfig
 * `endpoint` is Cognito's API; `issuer` is left to the Worker's default except
 * in the rehearsal, which points both at local stand-ins.
 */
