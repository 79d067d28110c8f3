import { describe, expect, it, vi } from "vitest";
import { parseRules, RuleError } from "./rule-syntax";
import { compileRules } from "./rules";

const table = (text: string) => compileRules(parseRules(text));
/** The line of the rule `text` applies to `method path`, or undefined. */
const lineOf = (text: string, method: string, path: string) => table(text).match(method, path)?.line;

describe("parseRules", () => {
  it("reads methods, prefix, requirements and upstream", () => {
    const rules = parseRules(`
      # comment
      /public public
      GET,post /api/orders/ group=staff,ops scope=orders/read -> ORDERS
      /m2m client=abc123,def456 scope=api/write -> https://api.example.com/
      /me signed-in`);
    expect(rules).toEqual([
      { methods: undefined, prefix: "/public", public: true, groups: [], scopes: [], line: 3 },
      { methods: ["GET", "POST"], prefix: "/api/orders", public: false, groups: ["staff", "ops"], scopes: ["orders/read"], upstream: "ORDERS", line: 4 },
      {
        methods: undefined,
        prefix: "/m2m",
        public: false,
        groups: [],
        scopes: ["api/write"],
        clients: ["abc123", "def456"],
        upstream: "https://api.example.com",
        line: 5,
      },
      { methods: undefined, prefix: "/me", public: false, groups: [], scopes: [], line: 6 },
    ]);
  });

  it("takes `;` between rules, for a value on one line", () => {
    expect(parseRules("/a public; /b signed-in;").map((r) => r.prefix)).toEqual(["/a", "/b"]);
  });

  it.each([
    ["/api", "no requirement"],
    ["/api -> UP", "no requirement before the upstream"],
    ["api signed-in", "a prefix without /"],
    ["/api/../x signed-in", "a dot segment"],
    ["/api//x signed-in", "an empty segment"],
    ["/api%2Fx signed-in", "an escape"],
    ["/a;b signed-in", "a ;"],
    ["/api public group=a", "public with a requirement"],
    ["/api group=a group=b", "a term twice"],
    ["/api admin", "an unknown term"],
    ["/api group=", "an empty list"],
    ["/api scope=a,,b", "an empty list item"],
    ['/api scope=a"b', "a quote in a scope"],
    ["/api client=a-b", "a malformed client id"],
    ["G@T /api signed-in", "a malformed method"],
    ["/api signed-in -> http://api.example.com", "an http upstream"],
    ["/api signed-in -> https://api.example.com/v1", "an upstream with a path"],
    ["/api signed-in -> https://user:pw@api.example.com", "an upstream with credentials"],
    ["/api signed-in -> UP extra", "more after the upstream"],
    ["/api signed-in ->", "no upstream"],
    ["/api signed-in -> 9UP", "a malformed binding name"],
  ])("refuses %s (%s)", (text) => {
    expect(() => parseRules(text)).toThrow(RuleError);
  });

  it("names the rule at fault, never its text", () => {
    const err = (() => {
      try {
        parseRules("/a public\n/b secret-term");
      } catch (e) {
        return e as RuleError;
      }
    })();
    expect(err?.line).toBe(2);
    expect(err?.message).not.toContain("secret-term");
  });
});

describe("compileRules", () => {
  const RULES = `
    / signed-in
    /public public
    /api scope=api/read
    /api/admin group=admin
    POST /api/admin/reports group=admin,finance
    GET /api/export scope=api/export`;

  it.each([
    ["GET", "/", 2],
    ["GET", "/anything/else", 2],
    ["GET", "/public", 3],
    ["GET", "/public/", 3],
    ["GET", "/public/x/y", 3],
    ["GET", "/publicity", 2],
    ["GET", "/api", 4],
    ["GET", "/apiary", 2],
    ["GET", "/api/admin/users", 5],
    ["GET", "/api/admin/reports", 5],
    ["POST", "/api/admin/reports", 6],
    ["post", "/api/admin/reports/1", 6],
    ["GET", "/api/export/all", 7],
    ["HEAD", "/api/export", 7],
    ["DELETE", "/api/export", 4],
  ])("%s %s -> rule %s (longest prefix, on segment boundaries)", (method, path, line) => {
    expect(lineOf(RULES, method, path)).toBe(line);
  });

  it("matches prefixes that restrict in any case, public ones only in their own", () => {
    expect(lineOf(RULES, "GET", "/API/Admin/x")).toBe(5);
    expect(lineOf(RULES, "patch", "/Api")).toBe(4);
    // What an upper-casing server reads as `/SETTINGS` and `/KIOSK`.
    expect(lineOf("/settings group=a\n/kiosk group=b", "GET", "/\u017fettings")).toBe(1);
    expect(lineOf("/settings group=a\n/kiosk group=b", "GET", "/\u212aiosk")).toBe(2);
    expect(lineOf(RULES, "GET", "/Public/x")).toBe(2);
    expect(lineOf("/public public\n/public/admin group=a", "GET", "/PUBLIC/Admin")).toBe(2);
    expect(lineOf("/public public", "GET", "/PUBLIC")).toBeUndefined();
    expect(lineOf("GET /docs public\n/docs signed-in", "GET", "/Docs")).toBe(2);
  });

  it("keeps a protected prefix's rule on the names servers route as it (`.json`, trailing dot or space)", () => {
    const rules = "/ public\n/orders group=clerks\n/orders/admin group=admin\n/orders.csv signed-in\n/pub public\nGET /pub/x group=b";
    for (const path of ["/orders.json", "/orders.", "/orders ", "/Orders.tar.gz", "/orders .", "/orders.json/7"]) {
      expect(lineOf(rules, "GET", path), path).toBe(2);
    }
    expect(lineOf(rules, "GET", "/orders./admin")).toBe(3);
    // An exact rule wins; a public rule needs its own spelling; below it, a protected one still applies.
    expect(lineOf(rules, "GET", "/orders.csv")).toBe(4);
    expect(lineOf(rules, "GET", "/pub.json")).toBe(1);
    expect(lineOf(rules, "GET", "/pub./x")).toBe(6);
    expect(lineOf(rules, "GET", "/ordersx")).toBe(1);
  });

  it("answers undefined where no rule applies", () => {
    expect(lineOf("/public public", "GET", "/api")).toBeUndefined();
    expect(lineOf("GET /x public", "POST", "/x")).toBeUndefined();
  });

  it("gives a method no rule of a protected prefix lists a shorter prefix's protected rule, never a public one or the default", () => {
    const rules = "/ public\nGET,POST,PUT,PATCH,DELETE /internal group=admin\nGET /docs public\n/internal/open public";
    expect(table("GET /x signed-in").match("POST", "/x")?.refused).toBe(true);
    expect(lineOf("/x group=a\nGET /x/y signed-in", "POST", "/x/y")).toBe(1);
    for (const method of ["OPTIONS", "PROPFIND", "MKCOL", "patch"]) {
      const rule = table(rules).match(method, "/internal/users");
      expect(rule?.refused && rule.line, method).toBe(method === "patch" ? undefined : 2);
    }
    expect(table(rules).match("PROPFIND", "/internal/users")?.public).toBe(false);
    expect(lineOf(rules, "HEAD", "/internal/users")).toBe(2);
    expect(lineOf(RULES, "DELETE", "/api/export")).toBe(4);
    // A longer prefix's rule still wins; a prefix with public method rules only keeps the shorter prefix's.
    expect(lineOf(rules, "PROPFIND", "/internal/open/x")).toBe(4);
    expect(lineOf(rules, "POST", "/docs")).toBe(1);
  });

  it("refuses two rules for one prefix and method, in any case", () => {
    expect(() => table("/api signed-in\n/API/ public")).toThrow(RuleError);
    expect(() => table("GET /api signed-in\nGET,POST /api public")).toThrow(RuleError);
    expect(() => table("GET /api signed-in\nPOST /api public\n/api group=a")).not.toThrow();
  });

  it("collects every client a rule lists", () => {
    expect([...table("/a client=x,y\n/b client=y,z").clients]).toEqual(["x", "y", "z"]);
  });

  it("costs one step per path segment, not per rule", () => {
    // workerd's clock stands still while code runs: count the trie's look-ups instead of timing.
    const lookups = (rules: string, path: string) => {
      const t = table(rules);
      const get = vi.spyOn(Map.prototype, "get");
      t.match("GET", path);
      const count = get.mock.calls.length;
      get.mockRestore();
      return count;
    };
    const many = Array.from({ length: 5000 }, (_, i) => `/svc${i}/v1 signed-in`).join("\n");
    const path = "/svc1/v1/orders/7";
    expect(lookups(many, path)).toBeGreaterThan(0);
    expect(lookups(many, path)).toBe(lookups("/svc1/v1 signed-in", path));
    // At most two per segment: the segment, then its suffix-free name.
    expect(lookups(many, path)).toBeLessThanOrEqual(2 * path.split("/").length);
  });
});
