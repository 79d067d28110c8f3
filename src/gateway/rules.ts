import { type Rule, RuleError } from "./rule-syntax";

/** One path segment of the trie: the rules whose prefix ends here, and the segments below. */
interface Node {
  children?: Map<string, Node>;
  /** The rule for every method not named by one of `byMethod`. */
  any?: Rule;
  byMethod?: Map<string, Rule>;
  /** With `byMethod`, some protected, and no `any`: the answer for a method none names. */
  refused?: Rule;
}

/**
 * Segments are compared case-folded: many servers route without regard to
 * case (Express by default, ASP.NET, IIS), so `/Admin` must meet `/admin`'s
 * rule. Upper-casing first also folds what a server that upper-cases reads as
 * ASCII (`ſ` as `S`, `ß` as `SS`). Public rules alone also need their own case
 * (see `applies`).
 */
const keyOf = (segment: string) => segment.toUpperCase().toLowerCase();

/**
 * The name many servers route a segment by: without a suffix from its first
 * `.` (Rails' `/orders(.:format)`, Spring < 5.3's `/orders.*`) and without
 * trailing white space (IIS drops trailing dots and spaces). Looked up only
 * when the segment has no exact node; `applies` keeps public rules to their own
 * spelling, so `/public.json` never meets a `public` rule this way.
 */
const suffixFreeKey = (key: string) => key.replace(/\..*/su, "").replace(/\s+$/u, "");

/** The rules compiled into a trie keyed by path segment: a match costs one step per segment of the path, however many rules there are. */
export interface RuleTable {
  /**
   * The rule of the longest prefix of the canonical `path` with a rule for
   * `method` (a rule naming the method before one for every method; HEAD
   * falls back to GET's), or a `refused` one where a prefix's rules name
   * other methods only, some protected; undefined when none.
   */
  match(method: string, path: string): Rule | undefined;
  /** Every app client some rule lists (`client=`). */
  clients: Set<string>;
}

/**
 * A public rule applies only to its prefix in its own case: a case-insensitive
 * upstream reads `/PUBLIC` as `/public`, a case-sensitive one may hold
 * something else there, which must keep the protection of the shorter prefix.
 * `end`: where the matched prefix ends in `path`.
 */
const applies = (rule: Rule, path: string, end: number): boolean => !rule.public || end === 0 || path.slice(0, end) === rule.prefix;

/** The rule of `node` for `method`, if any applies. */
function ruleAt(node: Node, method: string, path: string, end: number): Rule | undefined {
  const named = node.byMethod && (node.byMethod.get(method) ?? (method === "HEAD" ? node.byMethod.get("GET") : undefined));
  if (named && applies(named, path, end)) return named;
  if (node.any) return applies(node.any, path, end) ? node.any : undefined;
  // A method no rule here names: see `match`.
  return named ? undefined : node.refused;
}

/** Gives each node with protected method rules and none for every method its `refused` rule. */
function markRefused(node: Node): void {
  const protectedRule = node.any ? undefined : [...(node.byMethod?.values() ?? [])].find((rule) => !rule.public);
  if (protectedRule) node.refused = { ...protectedRule, methods: undefined, upstream: undefined, refused: true };
  for (const child of node.children?.values() ?? []) markRefused(child);
}

/** Compiles rules once; two rules for the same prefix (in any case) and method are a RuleError. */
export function compileRules(rules: Rule[]): RuleTable {
  const root: Node = {};
  const clients = new Set<string>();
  for (const rule of rules) {
    let node = root;
    for (const segment of rule.prefix.split("/")) {
      if (segment === "") continue;
      node.children ??= new Map();
      const key = keyOf(segment);
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = {}));
      node = child;
    }
    if (!rule.methods) {
      if (node.any) throw new RuleError(rule.line, `a rule for the same prefix comes first (rule ${node.any.line})`);
      node.any = rule;
    } else {
      node.byMethod ??= new Map();
      for (const method of rule.methods) {
        const earlier = node.byMethod.get(method);
        if (earlier) throw new RuleError(rule.line, `a rule for the same prefix and method comes first (rule ${earlier.line})`);
        node.byMethod.set(method, rule);
      }
    }
    for (const client of rule.clients ?? []) clients.add(client);
  }
  markRefused(root);
  return {
    clients,
    match(method, path) {
      // Methods are case-sensitive, and fetch upper-cases only six of them: `patch` must not slip past `PATCH`'s rule.
      const upper = method.toUpperCase();
      let node: Node | undefined = root;
      let found: Rule | undefined;
      // A method no rule of a protected prefix names takes a shorter prefix's protected rule, never a
      // public one or the default (`/ public` must not open PROPFIND /internal to anyone): else refused.
      const take = (rule: Rule | undefined) => (rule?.refused && found && !found.public && !found.refused ? found : (rule ?? found));
      found = take(ruleAt(root, upper, path, 0));
      let start = 1;
      while (start < path.length) {
        let end = path.indexOf("/", start);
        if (end === -1) end = path.length;
        const key = keyOf(path.slice(start, end));
        node = node.children?.get(key) ?? node.children?.get(suffixFreeKey(key));
        if (!node) break;
        found = take(ruleAt(node, upper, path, end));
        start = end + 1;
      }
      return found;
    },
  };
}
