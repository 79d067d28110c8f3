import { describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { WRONG_PASSWORD } from "../support/secrets";
import { expectProblem, expectTokens, newEmail, ORIGIN, PASSWORD, registeredUser, send, setCookie } from "../support/worker";

const login = (email: string, password: string, env?: Record<string, string | undefined>) =>
  send("/auth/login", { json: { email, password }, env });

describe("POST /auth/login", () => {
  it("returns tokens for the right password, with no-store", async () => {
    const { email } = await registeredUser();
    const body = await expectTokens(await login(email.toUpperCase(), PASSWORD), { refreshToken: true });
    const claims = decodeJwt(String(body.accessToken));
    expect(body.expiresIn).toBe(Number(claims.exp) - Number(claims.iat));
    expect(claims.token_use).toBe("access");
  });

  it("gives a wrong password and an unknown user the same 401", async () => {
    const { email } = await registeredUser();
    const wrong = await login(email, WRONG_PASSWORD);
    const unknown = await login(newEmail(), PASSWORD);
    const a = await expectProblem(wrong, 401, "invalid_credentials");
    const b = await expectProblem(unknown, 401, "invalid_credentials");
    expect(a).toEqual(b);
  });

  it("answers 403 email_not_confirmed before the email is verified", async () => {
    const { email } = await registeredUser({ verify: false });
    await expectProblem(await login(email, PASSWORD), 403, "email_not_confirmed");
  });

  it("delivers the refresh token only as a __Host- cookie by default", async () => {
    const { email } = await registeredUser();
    // The test projects bind REFRESH_TOKEN_DELIVERY=both; unset, the Worker's own default applies.
    const res = await login(email, PASSWORD, { REFRESH_TOKEN_DELIVERY: undefined });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.refreshToken).toBeUndefined();
    const cookie = setCookie(res, "__Host-refresh") ?? "";
    expect(cookie).toMatch(/^__Host-refresh=ce2\.[^;]+; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  });

  it("delivers the refresh token only in the body with delivery body", async () => {
    const { email } = await registeredUser();
    const res = await login(email, PASSWORD, { REFRESH_TOKEN_DELIVERY: "body" });
    expect(setCookie(res, "__Host-refresh")).toBeUndefined();
    expect(((await res.json()) as Record<string, unknown>).refreshToken).toMatch(/^ce2\./);
  });

  it("sends CORS headers with credentials only to listed origins", async () => {
    const { email } = await registeredUser();
    const listed = await send("/auth/login", { json: { email, password: PASSWORD }, headers: { Origin: ORIGIN } });
    expect(listed.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(listed.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    const other = await send("/auth/login", { json: { email, password: PASSWORD }, headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
