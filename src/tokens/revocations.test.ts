import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AccessClaims } from "./claims";
import { Revocations } from "./revocations";

const claims = (sub: string, iat: number): AccessClaims => ({
  sub,
  username: sub,
  clientId: "client",
  scope: [],
  groups: [],
  jti: crypto.randomUUID(),
  iat,
  exp: iat + 3600,
  raw: {},
});

describe("Revocations.check", () => {
  it("refuses tokens issued before a global logout, passes those after, and leaves a second either way to Cognito", async () => {
    const revocations = new Revocations(env.TEST_REVOCATIONS);
    const sub = crypto.randomUUID();
    const at = 1_800_000_000_500;
    await revocations.revokeUser(sub, 3600, at);
    const second = Math.floor(at / 1000);
    expect((await revocations.check(claims(sub, second - 2))).state).toBe("revoked");
    for (const iat of [second - 1, second, second + 1]) {
      expect(await revocations.check(claims(sub, iat))).toEqual({ state: "unsure", revokedAtMs: at });
    }
    expect((await revocations.check(claims(sub, second + 2))).state).toBe("valid");
    expect((await revocations.check(claims(crypto.randomUUID(), second - 2))).state).toBe("valid");
  });

  it("reads entries written in whole seconds (before they were exact) as refusing that second", async () => {
    const sub = crypto.randomUUID();
    await env.TEST_REVOCATIONS.put(`user:${sub}`, "1800000000");
    const revocations = new Revocations(env.TEST_REVOCATIONS);
    expect((await revocations.check(claims(sub, 1_799_999_999))).state).toBe("revoked");
    expect((await revocations.check(claims(sub, 1_800_000_003))).state).toBe("valid");
  });
});
