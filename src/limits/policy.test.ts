import { describe, expect, it } from "vitest";
import { ceilingOf, parseLimits, smsAllowed } from "./policy";

describe("parseLimits", () => {
  it("has defaults for the bearer routes that check a secret", () => {
    const limits = parseLimits(undefined);
    for (const action of ["change-password", "verify-attribute", "totp-verify"] as const) {
      expect(limits?.[action]).toEqual({ limit: 10, windowS: 900 });
    }
  });

  it("overrides the named actions only", () => {
    const limits = parseLimits(" totp-verify=3/60, login=5/600 ");
    expect(limits?.["totp-verify"]).toEqual({ limit: 3, windowS: 60 });
    expect(limits?.login).toEqual({ limit: 5, windowS: 600 });
    expect(limits?.challenge).toEqual({ limit: 10, windowS: 900 });
  });

  it.each(["login=ten/60", "logon=5/60", "login=5/0", "login=5", "toString=1/60"])("refuses %s", (value) => {
    expect(parseLimits(value)).toBeUndefined();
  });
});

describe("ceilingOf", () => {
  it("is one and a half budgets, so that strangers who spend theirs leave the owner some", () => {
    expect(ceilingOf({ limit: 10, windowS: 3600 })).toEqual({ limit: 15, windowS: 3600 });
    expect(ceilingOf({ limit: 1, windowS: 60 })).toEqual({ limit: 2, windowS: 60 });
  });
});

describe("smsAllowed", () => {
  it("matches calling codes and longer prefixes, not their digits elsewhere", () => {
    expect(smsAllowed(["1", "44"], "+15555550123")).toBe(true);
    expect(smsAllowed(["1", "44"], "+447700900123")).toBe(true);
    expect(smsAllowed(["44"], "+4915112345678")).toBe(false);
    expect(smsAllowed(["1201"], "+18765550123")).toBe(false);
    expect(smsAllowed([], "+15555550123")).toBe(false);
    expect(smsAllowed("*", "+8823912345678")).toBe(true);
  });
});
