import { describe, expect, it } from "vitest";
import { expectProblem, expectTokens, ORIGIN, PASSWORD, registeredUser, send, setCookie, signedInUser } from "../support/worker";

const cookieHeader = (wrapped: string) => `__Host-refresh=${wrapped}`;

describe("POST /auth/refresh", () => {
  it("trades the body refresh token for new tokens without a new refresh token", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/refresh", { json: { refreshToken: tokens.refreshToken } });
    const body = await expectTokens(res, { refreshToken: false });
    const me = await send("/auth/me", { token: String(body.accessToken) });
    expect(me.status).toBe(200);
  });

  it("uses the refresh cookie from an allowed origin, with an empty body", async () => {
    const { email } = await registeredUser();
    const login = await send("/auth/login", { json: { email, password: PASSWORD }, env: { REFRESH_TOKEN_DELIVERY: "cookie" } });
    const cookie = (setCookie(login, "__Host-refresh") ?? "").split(";")[0];
    const res = await send("/auth/refresh", {
      method: "POST",
      headers: { Cookie: cookie, Origin: ORIGIN },
      env: { REFRESH_TOKEN_DELIVERY: "cookie" },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Record<string, unknown>).refreshToken).toBeUndefined();
  });

  it("accepts the cookie from the Worker's own origin", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/refresh", {
      method: "POST",
      headers: { Cookie: cookieHeader(tokens.refreshToken), Origin: "https://edge.example.com" },
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ["no Origin", {}],
    ["a foreign Origin", { Origin: "https://evil.example" }],
  ])("refuses the cookie with %s: 403 forbidden (CSRF)", async (_case, headers) => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/refresh", {
      json: {},
      headers: { Cookie: cookieHeader(tokens.refreshToken), ...headers },
    });
    await expectProblem(res, 403, "forbidden");
  });

  it("answers 401 invalid_refresh_token with no token at all", async () => {
    await expectProblem(await send("/auth/refresh", { json: {} }), 401, "invalid_refresh_token");
    await expectProblem(await send("/auth/refresh", { method: "POST" }), 401, "invalid_refresh_token");
  });

  it.each([
    ["garbage", "not-a-token"],
    ["a tampered wrapper", "ce1.!!!.abc"],
    ["a forged token", "ce1.YWJj.eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"],
  ])("answers 401 invalid_refresh_token for %s", async (_case, refreshToken) => {
    await expectProblem(await send("/auth/refresh", { json: { refreshToken } }), 401, "invalid_refresh_token");
  });

  it("answers 401 invalid_refresh_token for a revoked token", async () => {
    const { tokens } = await signedInUser();
    const out = await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: tokens.refreshToken } });
    expect(out.status).toBe(204);
    await expectProblem(await send("/auth/refresh", { json: { refreshToken: tokens.refreshToken } }), 401, "invalid_refresh_token");
  });
});
