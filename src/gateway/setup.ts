import { ConfigError, configFor, perEnv } from "../config";
import { log } from "../log";
import { JWKS_PATH, OWN_PREFIXES } from "../own-paths";
import { underPrefix } from "../request-path";
import type { Verifier } from "../tokens/verifier";
import type { WorkerEnv } from "../types";
import { verifierFor } from "../verifier-options";
import { parsePrefix, parseRules, type Rule, RuleError } from "./rule-syntax";
import { compileRules, type RuleTable } from "./rules";
import { resolveUpstream, type Upstream } from "./upstreams";

/** The gateway of one env: its rules, their upstreams and the verifier that knows their clients. */
export interface GatewaySetup {
  rules: RuleTable;
  /** Where a path with `rule` (or none) goes; undefined: nowhere (404), as without UPSTREAM. */
  upstreamOf(rule: Rule | undefined): Upstream | undefined;
  /** The env's verifier, passing tokens of COGNITO_CLIENT_ID and of every client a rule lists. */
  verifier: Verifier;
}

/**
 * Whether the gateway may forward anything: UPSTREAM bound or GATEWAY_RULES
 * set. An upstream's pages can then be served on the Worker's origin.
 */
export const gatewayOn = (env: Pick<WorkerEnv, "UPSTREAM" | "GATEWAY_RULES">): boolean =>
  Boolean(env.UPSTREAM) || (typeof env.GATEWAY_RULES === "string" && env.GATEWAY_RULES.trim() !== "");

/** PUBLIC_PATHS as rules: each prefix `public`, to UPSTREAM; an entry repeated (in any case) counts once. */
function publicPathRules(paths: string[]): Rule[] {
  const prefixes = new Map(paths.map((path, i) => parsePrefix(path, i + 1)).map((prefix) => [prefix.toLowerCase(), prefix]));
  return [...prefixes.values()].map((prefix, i) => ({ prefix, public: true, groups: [], scopes: [], line: i + 1 }));
}

/** Builds the gateway; a RuleError becomes a ConfigError naming the setting at fault, logged with the rule's place only. */
function buildGateway(env: WorkerEnv): GatewaySetup {
  const config = configFor(env);
  let variables = ["PUBLIC_PATHS"];
  let ruleCount = Number.POSITIVE_INFINITY;
  try {
    const publicRules = publicPathRules(config.publicPaths);
    variables = ["GATEWAY_RULES"];
    const text: unknown = env.GATEWAY_RULES;
    if (text !== undefined && typeof text !== "string") throw new RuleError(0, "not text");
    const rules = text ? parseRules(text) : [];
    // The Worker answers these paths itself: a rule there never applies, and is surely a mistake.
    const own = rules.find((rule) => [...OWN_PREFIXES, JWKS_PATH].some((prefix) => underPrefix(rule.prefix, prefix)));
    if (own) throw new RuleError(own.line, "the path is the Worker's own");
    ruleCount = rules.length;
    // PUBLIC_PATHS' entries are numbered after the rules': one colliding with a rule names both settings.
    const table = compileRules([...rules, ...publicRules.map((rule) => ({ ...rule, line: rules.length + rule.line }))]);
    const named = new Map<string, Upstream>();
    for (const rule of rules) {
      if (rule.upstream && !named.has(rule.upstream)) named.set(rule.upstream, resolveUpstream(rule.upstream, env, rule.line));
    }
    const fallback: Upstream | undefined = env.UPSTREAM ? { binding: env.UPSTREAM } : undefined;
    const clients: ReadonlySet<string> = new Set([config.clientId, ...table.clients]);
    return {
      rules: table,
      upstreamOf: (rule) => (rule?.upstream ? named.get(rule.upstream) : fallback),
      verifier: { verify: (token) => verifierFor(env).verify(token, clients) },
    };
  } catch (err) {
    if (!(err instanceof RuleError)) throw err;
    if (err.line > ruleCount) variables = ["GATEWAY_RULES", "PUBLIC_PATHS"];
    log("error", "gateway_rules_invalid", { variables, rule: err.line, reason: err.reason });
    throw new ConfigError(variables);
  }
}

/**
 * The gateway of this env, compiled on first use and held for the isolate; a
 * rule set that does not parse is a ConfigError on every gateway request
 * (500), and the Worker's own routes keep working.
 */
export const gatewayFor = perEnv(buildGateway);
