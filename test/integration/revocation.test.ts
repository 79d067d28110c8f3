import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectProblem, send, signedInUser } from "../support/worker";

const withKv = () => ({ UPSTREAM: env.TEST_UPSTREAM, REVOCATIONS: env.TEST_REVOCATIONS });
const withoutKv = () => ({ UPSTREAM: env.TEST_UPSTREAM });

describe("revocation at the edge", () => {
  it("with REVOCATIONS bound, a logged-out access token stops passing the gateway", async () => {
    const { tokens } = await signedInUser();
    expect((await send("/api/x", { token: tokens.accessToken, env: withKv() })).status).toBe(200);
    const out = await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: tokens.refreshToken }, env: withKv() });
    expect(out.status).toBe(204);
    const res = await send("/api/x", { token: tokens.accessToken, env: withKv() });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("with REVOCATIONS bound, a global logout refuses every earlier token of the user", async () => {
    const first = await signedInUser();
    const again = await send("/auth/login", { json: { email: first.email, password: first.password } });
    const second = (await again.json()) as { accessToken: string };
    const out = await send("/auth/logout", { token: first.tokens.accessToken, json: { global: true }, env: withKv() });
    expect(out.status).toBe(204);
    await expectProblem(await send("/api/x", { token: second.accessToken, env: withKv() }), 401, "unauthorized");
  });

  it("without REVOCATIONS, a logged-out token still verifies locally until exp, but /auth/me refuses it", async () => {
    const { tokens } = await signedInUser();
    await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: tokens.refreshToken } });
    expect((await send("/api/x", { token: tokens.accessToken, env: withoutKv() })).status).toBe(200);
    await expectProblem(await send("/auth/me", { token: tokens.accessToken }), 401, "unauthorized");
  });
});
