import { describe, expect, it } from "vitest";
import { WEAK_PASSWORD } from "../support/secrets";
import { expectProblem, lastCode, login, newEmail, PASSWORD, registeredUser, send } from "../support/worker";

describe("POST /auth/register", () => {
  it("creates an unconfirmed user and reports where the code went", async () => {
    const res = await send("/auth/register", { json: { email: `  ${newEmail().toUpperCase()} `, password: PASSWORD, name: "Ada" } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.userSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.confirmed).toBe(false);
    expect(body.delivery).toEqual({ medium: "EMAIL", destination: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
  });

  it("answers 409 user_already_exists for a taken email, in any case", async () => {
    const { email } = await registeredUser({ verify: false });
    const res = await send("/auth/register", { json: { email: email.toUpperCase(), password: PASSWORD, name: "Ada" } });
    await expectProblem(res, 409, "user_already_exists");
  });

  it("answers 400 weak_password when the pool's policy refuses the password", async () => {
    const res = await send("/auth/register", { json: { email: newEmail(), password: WEAK_PASSWORD, name: "Ada" } });
    const body = await expectProblem(res, 400, "weak_password");
    expect(JSON.stringify(body)).not.toContain(WEAK_PASSWORD);
  });

  it("stores the attributes given at registration", async () => {
    const email = newEmail();
    const res = await send("/auth/register", {
      json: { email, password: PASSWORD, name: "Ada", attributes: { locale: "en-GB", zoneinfo: "Europe/London" } },
    });
    expect(res.status).toBe(201);
    expect((await send("/auth/verify", { json: { email, code: await lastCode(email) } })).status).toBe(200);
    const { accessToken } = await login(email, PASSWORD);
    const me = await send("/auth/me", { token: accessToken });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { attributes: Record<string, string> }).attributes).toMatchObject({
      locale: "en-GB",
      zoneinfo: "Europe/London",
    });
  });

  it("refuses attributes outside WRITABLE_ATTRIBUTES: no client grants itself a role", async () => {
    const json = { email: newEmail(), password: PASSWORD, name: "Ada", attributes: { "custom:role": "admin", locale: "en-GB" } };
    const body = await expectProblem(await send("/auth/register", { json }), 400, "validation_failed");
    expect(body.errors).toEqual([{ path: "attributes.custom:role", message: expect.any(String) }]);
    // The list is the operator's: a standard attribute left out of it is refused too.
    const narrow = { email: newEmail(), password: PASSWORD, name: "Ada", attributes: { locale: "en-GB" } };
    const refused = await expectProblem(await send("/auth/register", { json: narrow, env: { WRITABLE_ATTRIBUTES: "name,zoneinfo" } }), 400, "validation_failed");
    expect(refused.errors).toEqual([{ path: "attributes.locale", message: expect.any(String) }]);
  });

  it.each([
    ["missing name", { email: "a@example.com", password: PASSWORD }, "name"],
    ["bad email", { email: "not-an-email", password: PASSWORD, name: "A" }, "email"],
    ["unknown field", { email: "a@example.com", password: PASSWORD, name: "A", admin: true }, "admin"],
    ["wrong type", { email: "a@example.com", password: 12345678, name: "A" }, "password"],
    ["reserved attribute", { email: "a@example.com", password: PASSWORD, name: "A", attributes: { email_verified: "true" } }, "attributes"],
  ])("answers 400 validation_failed for %s, naming the field", async (_case, json, path) => {
    const body = await expectProblem(await send("/auth/register", { json }), 400, "validation_failed");
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
  });
});
