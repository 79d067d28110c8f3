import { describe, expect, it } from "vitest";
import { totp } from "../../test/support/totp";
import { otpauthUri } from "./mfa-ops";

describe("otpauthUri", () => {
  it("labels the account with the issuer and escapes both", () => {
    expect(otpauthUri("Acme Corp", "ada@example.com", "JBSWY3DPEHPK3PXP")).toBe(
      "otpauth://totp/Acme%20Corp:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Corp",
    );
  });
});

describe("test TOTP helper", () => {
  it("matches the RFC 6238 SHA-1 test vector at T=59 s", async () => {
    // RFC 6238 appendix B: secret "12345678901234567890" (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ) -> 94287082 (8 digits).
    expect(await totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59_000)).toBe("287082");
  });
});
