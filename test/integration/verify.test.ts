import { describe, expect, it } from "vitest";
import { expectProblem, injectFault, lastCode, newEmail, PASSWORD, registeredUser, send, sentCode, signedInUser } from "../support/worker";

describe("POST /auth/verify", () => {
  it("confirms the email with the right code", async () => {
    const { email } = await registeredUser({ verify: false });
    const res = await send("/auth/verify", { json: { email, code: await lastCode(email) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ confirmed: true });
    const login = await send("/auth/login", { json: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
  });

  it("answers 400 code_mismatch for a wrong code", async () => {
    const { email } = await registeredUser({ verify: false });
    await expectProblem(await send("/auth/verify", { json: { email, code: "000000" } }), 400, "code_mismatch");
  });

  it("answers 400 code_mismatch for an unknown email (no enumeration)", async () => {
    await expectProblem(await send("/auth/verify", { json: { email: newEmail(), code: "123456" } }), 400, "code_mismatch");
  });

  it("answers 400 code_expired for an expired code", async () => {
    const { email } = await registeredUser({ verify: false });
    await injectFault({ op: "ConfirmSignUp", username: email, kind: "error", type: "ExpiredCodeException" });
    await expectProblem(await send("/auth/verify", { json: { email, code: "123456" } }), 400, "code_expired");
  });

  it("refuses a code with whitespace or no code", async () => {
    await expectProblem(await send("/auth/verify", { json: { email: newEmail(), code: "12 34" } }), 400, "validation_failed");
    await expectProblem(await send("/auth/verify", { json: { email: newEmail() } }), 400, "validation_failed");
  });
});

describe("POST /auth/resend-code", () => {
  const ask = (email: string) => send("/auth/resend-code", { json: { email } });

  it("answers 202 for an unconfirmed user and sends a new code, which confirms the email", async () => {
    const { email } = await registeredUser({ verify: false });
    const first = await lastCode(email);
    const res = await ask(email);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({});
    const resent = await lastCode(email);
    expect(resent, "a new code went out").not.toBe(first);
    expect((await send("/auth/verify", { json: { email, code: resent } })).status).toBe(200);
  });

  it("sends nothing to an unknown or a confirmed account", async () => {
    const confirmed = await signedInUser();
    const stranger = newEmail();
    const before = await sentCode(confirmed.email);
    for (const email of [confirmed.email, stranger]) expect((await ask(email)).status).toBe(202);
    expect(await sentCode(confirmed.email)).toBe(before);
    expect(await sentCode(stranger)).toBeUndefined();
  });

  it("answers unknown, confirmed and unconfirmed emails identically", async () => {
    const unconfirmed = await registeredUser({ verify: false });
    const confirmed = await signedInUser();
    const answers = await Promise.all([ask(unconfirmed.email), ask(confirmed.email), ask(newEmail())]);
    const shapes = await Promise.all(
      answers.map(async (r) => ({ status: r.status, body: await r.text(), type: r.headers.get("Content-Type") })),
    );
    expect(shapes[0].status).toBe(202);
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
  });

  it("still reports an outage, which says nothing about the account", async () => {
    const email = newEmail();
    await injectFault({ op: "ResendConfirmationCode", username: email, kind: "500" });
    const res = await ask(email);
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});
