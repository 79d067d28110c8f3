import { canonicalPath } from "../request-path";

/**
 * One gateway rule (docs/API.md, "Gateway rules"): who may call the paths
 * under `prefix` (with `methods`, or any), and where they are forwarded.
 */
export interface Rule {
  /** Upper-case methods the rule is for; undefined: every method. */
  methods?: string[];
  /** A canonical path without a trailing `/` (`/` itself for the root). */
  prefix: string;
  /** No token needed; one that is sent is still verified, and forwarded when valid. */
  public: boolean;
  /** Every one of these groups (`cognito:groups`) is needed. */
  groups: string[];
  /** Every one of these OAuth scopes (`scope`) is needed. */
  scopes: string[];
  /** The app clients whose access tokens pass; undefined: COGNITO_CLIENT_ID's only. */
  clients?: string[];
  /** A service binding's name or an https origin; undefined: UPSTREAM. */
  upstream?: string;
  /** The rule's place in its setting, from 1 (for the log: never the setting's text). */
  line: number;
  /**
   * Not a configured rule: what a method gets that no rule of a prefix lists
   * when that prefix has only rules for other methods, some protected (403).
   */
  refused?: true;
}

/** A rule that does not parse, or two that collide: where and why, never the text. */
export class RuleError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`rule ${line}: ${reason}`);
    this.name = "RuleError";
  }
}

/** RFC 9110 §9.1: a method is a token; HTTP methods are matched upper-cased (see matchRule). */
const METHOD = /^[A-Za-z]{1,20}$/;
/** RFC 6749 §3.3 scope-token, less `,` (our list separator): never `"` or `\`, so it fits the RFC 6750 challenge. */
const SCOPE = /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]{1,256}$/;
/** A Cognito group name, less `,` (X-Auth-Groups' separator) and white space. */
const GROUP = /^[^\s,]{1,128}$/u;
/** An app client id, as COGNITO_CLIENT_ID. */
const CLIENT = /^[\w+]{1,128}$/;
/** A binding's name, as wrangler.toml names it. */
const BINDING = /^[A-Za-z_]\w{0,63}$/;

/**
 * A prefix as the request paths it is matched against are written: canonical
 * (request-path.ts), so that no rule can name a path no request has; a
 * trailing `/` is dropped (`/api/` covers what `/api` covers).
 */
export function parsePrefix(text: string, line: number): string {
  const prefix = text.length > 1 ? text.replace(/\/$/, "") : text;
  if (!prefix.startsWith("/") || canonicalPath(`https://h${prefix}`) !== prefix || prefix.includes("#") || prefix.includes("?")) {
    throw new RuleError(line, "the prefix is not a canonical path");
  }
  return prefix;
}

/** An https origin (`https://api.example.com`, a port allowed), nothing else. */
function parseOrigin(text: string, line: number): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // Exactly as URL.origin spells it (lower case, no default port): no path, query, credentials or http.
  if (url?.protocol !== "https:" || (text !== url.origin && text !== `${url.origin}/`)) {
    throw new RuleError(line, "an upstream URL must be an https origin");
  }
  return url.origin;
}

function parseList(value: string, pattern: RegExp, line: number, what: string): string[] {
  const items = value.split(",");
  if (!items.every((item) => pattern.test(item))) throw new RuleError(line, `malformed ${what}`);
  return [...new Set(items)];
}

/** One rule: `[METHODS] PREFIX TERM... [-> UPSTREAM]`. */
function parseRule(text: string, line: number): Rule {
  const words = text.split(/[ \t]+/);
  let at = 0;
  let methods: string[] | undefined;
  if (!words[0].startsWith("/")) {
    methods = parseList(words[at++], METHOD, line, "method").map((m) => m.toUpperCase());
  }
  const prefix = parsePrefix(words[at++] ?? "", line);
  const rule: Rule = { methods, prefix, public: false, groups: [], scopes: [], line };
  const seen = new Set<string>();
  for (; at < words.length; at++) {
    const word = words[at];
    if (word === "->") {
      const target = words[at + 1];
      if (target === undefined || at + 2 !== words.length) throw new RuleError(line, "`->` takes one upstream");
      rule.upstream = BINDING.test(target) ? target : parseOrigin(target, line);
      break;
    }
    const eq = word.indexOf("=");
    const term = eq === -1 ? word : word.slice(0, eq);
    if (seen.has(term)) throw new RuleError(line, `\`${term}\` appears twice`);
    seen.add(term);
    const value = word.slice(eq + 1);
    if (word === "public") rule.public = true;
    else if (word === "signed-in") continue;
    else if (term === "group" && eq > 0) rule.groups = parseList(value, GROUP, line, "group");
    else if (term === "scope" && eq > 0) rule.scopes = parseList(value, SCOPE, line, "scope");
    else if (term === "client" && eq > 0) rule.clients = parseList(value, CLIENT, line, "client id");
    else throw new RuleError(line, "unknown term");
  }
  if (seen.size === 0) throw new RuleError(line, "a rule needs `public`, `signed-in`, `group=`, `scope=` or `client=`");
  if (rule.public && seen.size > 1) throw new RuleError(line, "`public` takes no other requirement");
  return rule;
}

/**
 * GATEWAY_RULES: one rule per line or per `;`-separated entry; blank entries
 * and entries starting with `#` are skipped. Throws RuleError.
 */
export function parseRules(text: string): Rule[] {
  const rules: Rule[] = [];
  text.split(/[\n;]/).forEach((entry, i) => {
    const rule = entry.trim();
    if (rule && !rule.startsWith("#")) rules.push(parseRule(rule, i + 1));
  });
  return rules;
}
