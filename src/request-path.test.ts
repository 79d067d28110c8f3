import { describe, expect, it } from "vitest";
import { canonicalPath, encodePath } from "./request-path";

// Request URLs in workerd are already WHATWG-parsed; these also cover raw ones.
const at = (path: string) => canonicalPath(`https://edge.example${path}`);

describe("canonicalPath", () => {
  it.each([
    ["/", "/"],
    ["/api/orders/7?x=%2F", "/api/orders/7"],
    ["/public/../private", "/private"],
    ["/../../etc", "/etc"],
    ["/a/./b/.", "/a/b/"],
    ["//a///b//", "/a/b/"],
    ["/%61pi/caf%C3%A9", "/api/café"],
    ["/a%3Fb%23c", "/a?b#c"],
  ])("%s -> %s", (path, canonical) => {
    expect(at(path)).toBe(canonical);
  });

  it.each(["/a%2Fb", "/a%5Cb", "/a\\b", "/%2E%2E/x", "/.%2e/x", "/%2e/x", "/a%252Fb", "/a%00", "/a%7F", "/100%", "/%C3%28", "/a/..;/b", "/a;x", "/a%3Bb", "/a%3bb"])(
    "refuses %s",
    (path) => {
      expect(at(path)).toBeUndefined();
    },
  );

  it("escapes only what a URL path cannot carry", () => {
    expect(encodePath("/api/café/a@b/?#%/x y")).toBe("/api/caf%C3%A9/a@b/%3F%23%25/x%20y");
  });
});
