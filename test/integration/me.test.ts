import { describe, expect, it } from "vitest";
import { expectProblem, lastCode, newEmail, send, signedInUser } from "../support/worker";

describe("GET /auth/me", () => {
  it("returns the profile of the token's user", async () => {
    const { email, tokens } = await signedInUser();
    const res = await send("/auth/me", { token: tokens.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: expect.any(String),
      email,
      emailVerified: true,
      name: "Test User",
      groups: [],
      attributes: expect.any(Object),
    });
  });

  it.each([
    ["no Authorization header", undefined, 'Bearer realm="cognito-edge"'],
    ["a Basic header", "Basic dXNlcjpwYXNz", 'Bearer realm="cognito-edge", error="invalid_token"'],
    ["Bearer with nothing", "Bearer ", 'Bearer realm="cognito-edge", error="invalid_token"'],
    ["a garbage token", "Bearer abc.def.ghi", 'Bearer realm="cognito-edge", error="invalid_token"'],
  ])("answers 401 unauthorized for %s", async (_case, authorization, challenge) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
    const res = await send("/auth/me", { headers });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toBe(challenge);
  });

  it("refuses an ID token where an access token is required", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/me", { token: tokens.idToken });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });
});

describe("PATCH /auth/me", () => {
  it("updates attributes and answers the new profile", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/me", { method: "PATCH", token: tokens.accessToken, json: { attributes: { name: "Grace", locale: "fr" } } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.name).toBe("Grace");
    expect(body.attributes).toMatchObject({ locale: "fr" });
  });

  it("answers with a delivery when an email change needs a code, and verify-attribute proves it", async () => {
    const { tokens } = await signedInUser();
    const email = newEmail("changed");
    const res = await send("/auth/me", { method: "PATCH", token: tokens.accessToken, json: { attributes: { email } } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.delivery).toEqual({ medium: "EMAIL", destination: expect.any(String) });
    expect(body).toMatchObject({ email, emailVerified: false });
    const wrong = await send("/auth/me/verify-attribute", { token: tokens.accessToken, json: { attribute: "email", code: "000000" } });
    await expectProblem(wrong, 400, "code_mismatch");
    const ok = await send("/auth/me/verify-attribute", { token: tokens.accessToken, json: { attribute: "email", code: await lastCode(email) } });
    expect(ok.status).toBe(204);
    expect(await (await send("/auth/me", { token: tokens.accessToken })).json()).toMatchObject({ email, emailVerified: true });
  });

  it.each([
    ["an empty map", { attributes: {} }],
    ["a reserved attribute", { attributes: { sub: "x" } }],
    ["a non-string value", { attributes: { name: 5 } }],
    ["an unknown field", { attributes: { name: "x" }, admin: true }],
  ])("answers 400 validation_failed for %s", async (_case, json) => {
    const { tokens } = await signedInUser();
    await expectProblem(await send("/auth/me", { method: "PATCH", token: tokens.accessToken, json }), 400, "validation_failed");
  });
});

describe("PATCH /auth/me: writable attributes", () => {
  it("refuses custom:role (and anything WRITABLE_ATTRIBUTES does not list), naming it, and changes nothing", async () => {
    const { tokens } = await signedInUser();
    const json = { attributes: { name: "Mallory", "custom:role": "admin" } };
    const body = await expectProblem(await send("/auth/me", { method: "PATCH", token: tokens.accessToken, json }), 400, "validation_failed");
    expect(body.errors).toEqual([{ path: "attributes.custom:role", message: expect.any(String) }]);
    const me = (await (await send("/auth/me", { token: tokens.accessToken })).json()) as { name: string };
    expect(me.name).toBe("Test User");
  });
});

describe("DELETE /auth/me", () => {
  it("deletes the account: 204, then the user can no longer sign in", async () => {
    const { email, password, tokens } = await signedInUser();
    const res = await send("/auth/me", { method: "DELETE", token: tokens.accessToken });
    expect(res.status).toBe(204);
    await expectProblem(await send("/auth/login", { json: { email, password } }), 401, "invalid_credentials");
  });
});
