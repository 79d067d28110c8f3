import { describe, expect, it } from "vitest";
import { secretHash } from "./secret-hash";

describe("secretHash", () => {
  it("is Base64(HMAC-SHA256(secret, username + clientId))", async () => {
    // Reference value computed with Node's crypto.createHmac.
    expect(await secretHash("ada@example.com", "client-id-1", "client-secret-1")).toBe(
      "hGYUij82eWEPTv2l1QkrK6znmnLSXY3aYyUI+q/ZQbQ=",
    );
  });

  it("changes with the username", async () => {
    const a = await secretHash("a", "c", "s");
    expect(await secretHash("b", "c", "s")).not.toBe(a);
  });
});
