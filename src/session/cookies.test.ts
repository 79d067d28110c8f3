import type { Context } from "hono";
import { describe, expect, it } from "vitest";
import { hasCookieLike, plantedCookie, readCookie } from "./cookies";

/** A request context with the Cookie header `cookie`. */
const withCookie = (cookie: string) => ({ req: { header: (name: string) => (name === "Cookie" ? cookie : undefined) } }) as unknown as Context;
const NAME = "__Host-edge-session";

describe("readCookie", () => {
  it("reads a cookie with SP and HTAB around its name and value", () => {
    expect(readCookie(withCookie(`a=1; \t${NAME}\t = v1 ;b=2`), NAME)).toBe("v1");
  });

  for (const [label, prefix] of [
    ["NO-BREAK SPACE", "\u00a0"],
    ["BYTE ORDER MARK", "\ufeff"],
    ["ZERO WIDTH SPACE", "\u200b"],
    ["LINE SEPARATOR", "\u2028"],
    ["a control character", "\u0001"],
  ] as const) {
    it(`never takes a name with ${label} for ours, and calls it planted`, () => {
      const alone = withCookie(`${prefix}${NAME}=planted`);
      expect(readCookie(alone, NAME)).toBeUndefined();
      expect(hasCookieLike(alone, NAME)).toBe(true);
      expect(plantedCookie(alone, NAME)).toBe(true);
      const beside = withCookie(`${prefix}${NAME}=planted; ${NAME}=ours`);
      expect(readCookie(beside, NAME)).toBeUndefined();
      expect(plantedCookie(beside, NAME)).toBe(true);
    });
  }

  it("reads none of two cookies of our name, nor of a case variant beside ours", () => {
    expect(readCookie(withCookie(`${NAME}=a; ${NAME}=b`), NAME)).toBeUndefined();
    expect(readCookie(withCookie(`__host-edge-session=a; ${NAME}=b`), NAME)).toBeUndefined();
    expect(plantedCookie(withCookie(`${NAME}=a; ${NAME}=b`), NAME)).toBe(true);
  });

  it("reads our one cookie among others, and nothing when it is absent or empty", () => {
    const ours = withCookie(`x-edge-session=1; ${NAME}=v; edge-session=2`);
    expect(readCookie(ours, NAME)).toBe("v");
    expect(plantedCookie(ours, NAME)).toBe(false);
    expect(readCookie(withCookie("a=1"), NAME)).toBeUndefined();
    expect(hasCookieLike(withCookie("a=1"), NAME)).toBe(false);
    expect(readCookie(withCookie(`${NAME}=`), NAME)).toBeUndefined();
  });
});
