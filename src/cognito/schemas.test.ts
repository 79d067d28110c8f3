import { describe, expect, it } from "vitest";
import { AuthError } from "../errors";
import { toAttributeList } from "./attributes";
import { CognitoUser, GetUserResponse, parseResponse } from "./schemas";

describe("CognitoUser", () => {
  const list = toAttributeList({ sub: "5f1c", email: "ada@example.com" });

  it("reads ListUsers' Attributes and AdminGetUser's UserAttributes as one attribute map", () => {
    const listed = parseResponse(CognitoUser, { Username: "5f1c", Attributes: list, Enabled: false }, "ListUsers");
    const got = parseResponse(CognitoUser, { Username: "5f1c", UserAttributes: list, Enabled: false }, "AdminGetUser");
    expect(listed).toEqual(got);
    expect(listed.attributes).toEqual({ sub: "5f1c", email: "ada@example.com" });
    expect(listed.enabled).toBe(false);
  });

  it("gives an attribute without a value as the empty string", () => {
    const user = parseResponse(GetUserResponse, { Username: "u", UserAttributes: [{ Name: "name" }] }, "GetUser");
    expect(user.attributes).toEqual({ name: "" });
  });

  it("refuses a GetUser answer without attributes as an upstream fault", () => {
    expect(() => parseResponse(GetUserResponse, { Username: "u" }, "GetUser")).toThrow(
      expect.objectContaining({ code: "upstream_unavailable" }),
    );
    expect(() => parseResponse(GetUserResponse, { Username: "u" }, "GetUser")).toThrow(AuthError);
  });
});
