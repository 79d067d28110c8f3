import { describe, expect, it } from "vitest";
import { expectProblem, login, ORIGIN, refresh, send, setCookie, signedInUser } from "../support/worker";

describe("POST /auth/logout", () => {
  it("revokes the refresh token, clears the cookie and answers 204", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: tokens.refreshToken } });
    expect(res.status).toBe(204);
    expect(setCookie(res, "__Host-refresh")).toMatch(/Max-Age=0/);
    await expectProblem(await send("/auth/refresh", { json: { refreshToken: tokens.refreshToken } }), 401, "invalid_refresh_token");
    // Cognito invalidates the access tokens issued from a revoked refresh token; its refusal carries the challenge too.
    const me = await send("/auth/me", { token: tokens.accessToken });
    await expectProblem(me, 401, "unauthorized");
    expect(me.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge", error="invalid_token"');
  });

  it("revokes the refresh cookie when called from an allowed origin", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/logout", {
      method: "POST",
      token: tokens.accessToken,
      headers: { Cookie: `__Host-refresh=${tokens.refreshToken}`, Origin: ORIGIN },
    });
    expect(res.status).toBe(204);
    await expectProblem(await send("/auth/refresh", { json: { refreshToken: tokens.refreshToken } }), 401, "invalid_refresh_token");
  });

  it("signs out every session with global: true", async () => {
    const first = await signedInUser();
    const second = await send("/auth/login", { json: { email: first.email, password: first.password } });
    const other = (await second.json()) as { refreshToken: string; accessToken: string };
    const res = await send("/auth/logout", { token: first.tokens.accessToken, json: { global: true } });
    expect(res.status).toBe(204);
    await expectProblem(await send("/auth/refresh", { json: { refreshToken: other.refreshToken } }), 401, "invalid_refresh_token");
    await expectProblem(await send("/auth/me", { token: other.accessToken }), 401, "unauthorized");
  });

  it("signs out everywhere when no refresh token is available", async () => {
    const { email, password, tokens } = await signedInUser();
    const other = await login(email, password);
    const res = await send("/auth/logout", { method: "POST", token: tokens.accessToken });
    expect(res.status).toBe(204);
    for (const session of [tokens, other]) {
      await expectProblem(await refresh(session.refreshToken), 401, "invalid_refresh_token");
      await expectProblem(await send("/auth/me", { token: session.accessToken }), 401, "unauthorized");
    }
  });

  it("still answers 204 for a refresh token Cognito no longer accepts", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: "ce1.YWJj.garbage" } });
    expect(res.status).toBe(204);
  });

  it("requires a bearer token: 401 with a WWW-Authenticate challenge", async () => {
    const res = await send("/auth/logout", { json: {} });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge"');
  });

  it("refuses unknown fields and wrong types", async () => {
    const { tokens } = await signedInUser();
    await expectProblem(await send("/auth/logout", { token: tokens.accessToken, json: { global: "yes" } }), 400, "validation_failed");
    await expectProblem(await send("/auth/logout", { token: tokens.accessToken, json: { all: true } }), 400, "validation_failed");
  });
});
