import { describe, expect, it } from "vitest";
import { maskDestination, maskEmail, maskPhone } from "./masks";

describe("masks", () => {
  it("keeps the first characters of an email's parts and the last four digits of a number", () => {
    expect(maskEmail("ada@example.com")).toBe("a***@e***");
    expect(maskPhone("+15555550123")).toBe("+*******0123");
  });

  it("masks a destination that Cognito did not mask, and leaves a masked one as it is", () => {
    expect(maskDestination("SMS", "+15555550123")).toBe("+*******0123");
    expect(maskDestination("EMAIL", "ada@example.com")).toBe("a***@e***");
    expect(maskDestination("SMS", "+*******0123")).toBe("+*******0123");
    expect(maskDestination("EMAIL", "a***@e***.com")).toBe("a***@e***.com");
  });
});
