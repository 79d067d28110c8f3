import { describe, expect, it } from "vitest";
import { AuthError } from "../errors";
import { unwrapRefreshToken, wrapRefreshToken } from "./refresh-token";

describe("refresh-token wrapping", () => {
  const cognitoToken = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d";

  it("round-trips the username and Cognito's token, dots included", () => {
    const wrapped = wrapRefreshToken("5f1c-ünïcode", cognitoToken);
    expect(wrapped).toMatch(/^ce1\.[A-Za-z0-9_-]+\./);
    expect(unwrapRefreshToken(wrapped)).toEqual({ username: "5f1c-ünïcode", token: cognitoToken });
  });

  it("passes a bare Cognito token through without a username", () => {
    expect(unwrapRefreshToken(cognitoToken)).toEqual({ token: cognitoToken });
  });

  it.each(["ce1.", "ce1..abc", "ce1.!!!.abc"])("refuses the malformed wrapper %s", (value) => {
    expect(() => unwrapRefreshToken(value)).toThrow(AuthError);
  });
});
