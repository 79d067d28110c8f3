import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedInUser } from "../support/worker";

async function verifyOverRpc(token: unknown) {
  const res = await env.TEST_RPC_CLIENT.fetch("https://rpc-client/", { method: "POST", body: JSON.stringify({ token }) });
  return (await res.json()) as { valid: boolean; claims?: Record<string, unknown>; code?: string };
}

describe("AuthService.verify over RPC", () => {
  it("answers valid with the claims for a token from the local Cognito", async () => {
    const { tokens } = await signedInUser();
    const result = await verifyOverRpc(tokens.accessToken);
    expect(result.valid).toBe(true);
    expect(result.claims).toMatchObject({ token_use: "access", client_id: env.COGNITO_CLIENT_ID });
  });

  it.each([
    ["garbage", "abc"],
    ["an empty string", ""],
    ["a number", 42],
  ])("answers valid: false with a code for %s, without throwing", async (_case, token) => {
    expect(await verifyOverRpc(token)).toEqual({ valid: false, code: "unauthorized" });
  });

  it("answers unauthorized for an ID token", async () => {
    const { tokens } = await signedInUser();
    expect(await verifyOverRpc(tokens.idToken)).toEqual({ valid: false, code: "unauthorized" });
  });
});
