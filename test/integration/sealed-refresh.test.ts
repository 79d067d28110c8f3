// Refresh tokens the Worker sealed: only they reach Cognito. A stranger's
// made-up, truncated, altered or foreign token is refused at the edge with no
// Cognito call, so nobody can spend the account's shared Cognito quota (or
// probe it) with tokens the Worker never handed out.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import {
  expectProblem,
  expectTokens,
  isSecretClient,
  login,
  refresh,
  registeredUser,
  send,
  taggedCognito,
  type Tokens,
} from "../support/worker";

/** The EDGE_SECRET of another deployment (or of this one before a rotation). */
const OTHER_SECRET = "another-deployments-secret-of-at-least-32-bytes";
const hour = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

/** The env of a Worker for the pool's other app client (public for the secret project, and the other way round). */
function otherClient() {
  const cognito = inject("cognito");
  return isSecretClient()
    ? { COGNITO_CLIENT_ID: cognito.publicClientId, COGNITO_CLIENT_SECRET: "", COGNITO_USER_CONTEXT_IP: "" }
    : { COGNITO_CLIENT_ID: cognito.secretClientId, COGNITO_CLIENT_SECRET: cognito.clientSecret };
}

const flip = (token: string, at: number) => token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);

describe("POST /auth/refresh with a token the Worker did not seal", () => {
  it("refuses forged, truncated, altered and foreign tokens with 401 invalid_refresh_token, and never calls Cognito", async () => {
    const { email, password } = await registeredUser();
    const { refreshToken } = await login(email, password);
    const attempts = {
      "the shape of a Cognito token": "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d",
      "the unsealed wrapper of earlier versions": "ce1.YQ.x",
      "a wrapper naming a user": `ce1.${btoa("user").replace(/=+$/, "")}.eyJjdHkiOiJKV1QifQ.a.b.c.d`,
      truncated: refreshToken.slice(0, -8),
      "one character changed": flip(refreshToken, Math.floor(refreshToken.length / 2)),
      "sealed by another deployment": (await login(email, password, { env: { EDGE_SECRET: OTHER_SECRET } })).refreshToken,
      "sealed for another app client": (await login(email, password, { env: otherClient() })).refreshToken,
    };
    const cognito = taggedCognito();
    for (const token of Object.values(attempts)) {
      await expectProblem(await refresh(token, { env: cognito.env }), 401, "invalid_refresh_token");
      await expectProblem(await send("/auth/refresh", { json: {}, headers: { Cookie: `__Host-refresh=${token}`, Origin: "https://app.example.com" }, env: cognito.env }), 401, "invalid_refresh_token");
    }
    expect(await cognito.calls()).toEqual([]);
    // The token the Worker sealed refreshes, with one call.
    await expectTokens(await refresh(refreshToken, { env: cognito.env }), { refreshToken: false });
    expect(await cognito.calls()).toHaveLength(1);
  });

  it("opens a token of the previous secret until EDGE_SECRET_PREVIOUS_UNTIL, and hands it back sealed under the new one", async () => {
    const { email, password } = await registeredUser();
    const { refreshToken } = await login(email, password, { env: { EDGE_SECRET: OTHER_SECRET } });
    const rotating = { EDGE_SECRET: env.EDGE_SECRET, EDGE_SECRET_PREVIOUS: OTHER_SECRET, EDGE_SECRET_PREVIOUS_UNTIL: hour(1) };
    const resealed = (await expectTokens(await refresh(refreshToken, { env: rotating }), { refreshToken: true })) as unknown as Tokens;
    expect(resealed.refreshToken).not.toBe(refreshToken);
    // Sealed under the current secret: a Worker that never knew the old one takes it.
    await expectTokens(await refresh(resealed.refreshToken), { refreshToken: false });
    // Past the stated end, the old secret opens nothing.
    const cognito = taggedCognito();
    const retired = { ...rotating, EDGE_SECRET_PREVIOUS_UNTIL: hour(-1), ...cognito.env };
    await expectProblem(await refresh(refreshToken, { env: retired }), 401, "invalid_refresh_token");
    expect(await cognito.calls()).toEqual([]);
  });

  it("logs out with a token it did not seal without sending it to RevokeToken", async () => {
    const { email, password } = await registeredUser();
    const { accessToken } = await login(email, password);
    const cognito = taggedCognito();
    const res = await send("/auth/logout", { token: accessToken, json: { refreshToken: "ce1.YQ.x" }, env: cognito.env });
    expect(res.status).toBe(204);
    expect(await cognito.calls()).not.toContain("RevokeToken");
  });
});

describe("POST /auth/refresh with a genuine token from many addresses", () => {
  it("is limited per user whatever the client IP: one account cannot spend the pool's quota from a thousand addresses", async () => {
    const { email, password } = await registeredUser();
    const { refreshToken } = await login(email, password);
    // USER_LIMITER, as Workers Rate Limiting would count: three a period per key.
    const counts = new Map<string, number>();
    const USER_LIMITER = {
      limit: async ({ key }: { key: string }) => {
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return { success: (counts.get(key) ?? 0) <= 3 };
      },
    };
    const cognito = taggedCognito();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await refresh(refreshToken, { env: { USER_LIMITER, ...cognito.env } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(await cognito.calls()).toHaveLength(3);
    expect([...counts.keys()]).toEqual([expect.stringMatching(/^refresh:/)]);
  });
});

describe("without EDGE_SECRET", () => {
  it("answers 500 on the auth routes, and keeps /health up", async () => {
    await expectProblem(await send("/auth/login", { json: { email: "a@example.com", password: "x" }, env: { EDGE_SECRET: "" } }), 500, "internal_error");
    await expectProblem(await send("/auth/refresh", { json: { refreshToken: "ce2.AAAA" }, env: { EDGE_SECRET: "" } }), 500, "internal_error");
    expect((await send("/health", { env: { EDGE_SECRET: "" } })).status).toBe(200);
  });

  it("answers 500 everywhere with an EDGE_SECRET shorter than 32 bytes", async () => {
    expect((await send("/health", { env: { EDGE_SECRET: "too-short-a-secret" } })).status).toBe(500);
  });
});
