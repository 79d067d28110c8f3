import { describe, expect, it } from "vitest";
import { parseLimits } from "./policy";

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
