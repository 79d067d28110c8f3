// Phone numbers: registration with a phone (with or without an email
// address), confirmation by SMS, resend, sign-in by phone (password and
// SMS codes), a changed number proven again, and masked numbers in every
// answer (the logs are checked for full numbers at the end of the run).
import { describe, expect, it } from "vitest";
import { answer, challenged, lastCode, newPhone, registered, signInWithCode } from "../support/user-auth";
import { expectProblem, expectTokens, newEmail, PASSWORD, send, sentCode, signedInUser, type Tokens } from "../support/worker";

/** `+15555550123` as Cognito masks it: `+*******0123`. */
const masked = (phone: string) => `+${"*".repeat(phone.length - 5)}${phone.slice(-4)}`;

async function profileOf(token: string) {
  const res = await send("/auth/me", { token });
  expect(res.status).toBe(200);
  return (await res.json()) as { email: string; emailVerified: boolean; attributes: Record<string, string> };
}

describe("phone numbers", () => {
  it("registers with a phone number only, confirms by SMS and signs in with it", async () => {
    const phone = newPhone();
    const res = await send("/auth/register", { json: { phone, password: PASSWORD, name: "Ada" } });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(phone);
    expect(JSON.parse(text)).toMatchObject({ confirmed: false, delivery: { medium: "SMS", destination: masked(phone) } });
    await expectProblem(await send("/auth/login", { json: { phone, password: PASSWORD } }), 403, "email_not_confirmed");
    await expectProblem(await send("/auth/verify", { json: { phone, code: "000000" } }), 400, "code_mismatch");
    expect((await send("/auth/verify", { json: { phone, code: await lastCode(phone) } })).status).toBe(200);
    const tokens = (await expectTokens(await send("/auth/login", { json: { phone, password: PASSWORD } }), { refreshToken: true })) as unknown as Tokens;
    const me = await profileOf(tokens.accessToken);
    expect(me).toMatchObject({ email: "", attributes: { phone_number: phone, phone_number_verified: "true" } });
  });

  it("registers with both: the code goes by SMS, either signs in, and the email address is proven on its own", async () => {
    const email = newEmail();
    const phone = newPhone();
    const registration = await registered({ email, phone, password: PASSWORD });
    expect(registration.delivery).toEqual({ medium: "SMS", destination: masked(phone) });
    await expectTokens(await send("/auth/login", { json: { email, password: PASSWORD } }), { refreshToken: true });
    const { accessToken } = (await (await send("/auth/login", { json: { phone, password: PASSWORD } })).json()) as Tokens;
    // AWS: with both auto-verified, the sign-up code proves the phone number only.
    expect(await profileOf(accessToken)).toMatchObject({ email, emailVerified: false, attributes: { phone_number_verified: "true" } });
    const sent = await send("/auth/me/attribute-code", { token: accessToken, json: { attribute: "email" } });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ delivery: { medium: "EMAIL", destination: "u***@e***" } });
    const proven = await send("/auth/me/verify-attribute", { token: accessToken, json: { attribute: "email", code: await lastCode(email) } });
    expect(proven.status).toBe(204);
    expect(await profileOf(accessToken)).toMatchObject({ emailVerified: true });
  });

  it("signs in by phone with an SMS code, or offers the choice", async () => {
    const phone = newPhone();
    await registered({ phone, password: PASSWORD });
    expect(await challenged({ phone })).toEqual({ challenge: "SELECT_CHALLENGE", session: expect.any(String), methods: ["password", "email_otp", "sms_otp", "passkey"] });
    const got = await challenged({ phone, method: "sms_otp" });
    expect(got).toEqual({ challenge: "SMS_OTP", session: expect.any(String), delivery: { medium: "SMS", destination: masked(phone) } });
    await expectProblem(await answer({ phone }, got, { code: "00000000" }), 400, "code_mismatch");
    await expectTokens(await answer({ phone }, got, { code: await lastCode(phone) }), { refreshToken: true });
    await expectTokens(await send("/auth/login", { json: { phone, method: "password", password: PASSWORD } }), { refreshToken: true });
  });

  it("gives an unknown phone number the same first answer as a known one", async () => {
    const phone = newPhone();
    await registered({ phone, password: PASSWORD });
    const answerFor = async (number: string, extra: Record<string, string>) => {
      const res = await send("/auth/login", { json: { phone: number, ...extra } });
      const { session, ...rest } = (await res.json()) as Record<string, unknown>;
      return { status: res.status, headers: [...res.headers].filter(([name]) => name !== "x-request-id"), session: typeof session, rest };
    };
    const sms = (number: string) => ({ challenge: "SMS_OTP", delivery: { medium: "SMS", destination: masked(number) } });
    const choice = { challenge: "SELECT_CHALLENGE", methods: ["password", "email_otp", "sms_otp", "passkey"] };
    const known = await answerFor(phone, { method: "sms_otp" });
    expect(known.rest).toEqual(sms(phone));
    const knownChoice = await answerFor(phone, {});
    expect(knownChoice.rest).toEqual(choice);
    for (let i = 0; i < 6; i++) {
      const stranger = newPhone();
      expect(await answerFor(stranger, { method: "sms_otp" })).toEqual({ ...known, rest: sms(stranger) });
      expect(await answerFor(stranger, {})).toEqual(knownChoice);
    }
  });

  it("sends the confirmation code again by SMS, and answers an unknown number alike without sending one", async () => {
    const phone = newPhone();
    const stranger = newPhone();
    await registered({ phone, password: PASSWORD }, { verify: false });
    const first = await lastCode(phone);
    for (const who of [phone, stranger]) {
      const res = await send("/auth/resend-code", { json: { phone: who } });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({});
    }
    const resent = await lastCode(phone);
    expect(resent, "a new code went to the number").not.toBe(first);
    expect(await sentCode(stranger)).toBeUndefined();
    expect((await send("/auth/verify", { json: { phone, code: resent } })).status).toBe(200);
  });

  it("proves a changed number with verify-attribute, and sends its code again on request", async () => {
    const phone = newPhone();
    await registered({ phone, password: PASSWORD });
    const tokens = await signInWithCode({ phone }, "sms_otp", phone);
    const changed = newPhone();
    const res = await send("/auth/me", { method: "PATCH", token: tokens.accessToken, json: { attributes: { phone_number: changed } } });
    expect(res.status).toBe(200);
    // The profile is the user's own (it holds the number); where the code went is masked.
    expect(await res.json()).toMatchObject({ delivery: { medium: "SMS", destination: masked(changed) }, attributes: { phone_number_verified: "false" } });
    const again = await send("/auth/me/attribute-code", { token: tokens.accessToken, json: { attribute: "phone_number" } });
    expect(await again.json()).toEqual({ delivery: { medium: "SMS", destination: masked(changed) } });
    const wrong = await send("/auth/me/verify-attribute", { token: tokens.accessToken, json: { attribute: "phone_number", code: "000000" } });
    await expectProblem(wrong, 400, "code_mismatch");
    const ok = await send("/auth/me/verify-attribute", { token: tokens.accessToken, json: { attribute: "phone_number", code: await lastCode(changed) } });
    expect(ok.status).toBe(204);
    expect(await profileOf(tokens.accessToken)).toMatchObject({ attributes: { phone_number: changed, phone_number_verified: "true" } });
  });

  it("limits attribute codes per user (attribute-code, every request)", async () => {
    const env = { RATE_LIMITS: "attribute-code=1/3600" };
    const phone = newPhone();
    await registered({ phone, password: PASSWORD });
    const { accessToken } = (await (await send("/auth/login", { json: { phone, password: PASSWORD } })).json()) as Tokens;
    const code = () => send("/auth/me/attribute-code", { token: accessToken, json: { attribute: "phone_number" }, env });
    expect((await code()).status).toBe(200);
    await expectProblem(await code(), 429, "too_many_requests");
  });

  it("counts a changed email address or phone number as a code sent (attribute-code): PATCH /auth/me floods no inbox or phone", async () => {
    const env = { RATE_LIMITS: "attribute-code=2/3600" };
    const { tokens } = await signedInUser();
    const patch = (attributes: Record<string, string>) => send("/auth/me", { method: "PATCH", token: tokens.accessToken, json: { attributes }, env });
    // Each change sends a code to the new value, whoever owns it: a bomb aimed at someone else's inbox or phone.
    const victim = newPhone();
    expect((await patch({ phone_number: victim })).status).toBe(200);
    expect((await patch({ email: newEmail("victim") })).status).toBe(200);
    const refused = await expectProblem(await patch({ phone_number: victim }), 429, "too_many_requests");
    expect(refused).not.toHaveProperty("delivery");
    await expectProblem(await send("/auth/me/attribute-code", { token: tokens.accessToken, json: { attribute: "phone_number" }, env }), 429, "too_many_requests");
    // A change that sends nothing is not counted.
    expect((await patch({ name: "Still Me" })).status).toBe(200);
  });

  it("answers 409 user_already_exists for a number that is taken", async () => {
    const phone = newPhone();
    await registered({ phone, password: PASSWORD });
    await expectProblem(await send("/auth/register", { json: { phone, password: PASSWORD, name: "Eve" } }), 409, "user_already_exists");
    await expectProblem(await send("/auth/register", { json: { email: newEmail(), phone, password: PASSWORD, name: "Eve" } }), 409, "user_already_exists");
  });

  it("counts a registration against the phone number it texts, whatever email address comes with it (register)", async () => {
    const env = { RATE_LIMITS: "register=1/3600" };
    const phone = newPhone();
    expect((await send("/auth/register", { json: { email: newEmail(), phone, password: PASSWORD, name: "Ada" }, env })).status).toBe(201);
    // The code goes by SMS: with a new email address each time, the same number would be texted again and again.
    for (const email of [newEmail(), undefined]) {
      await expectProblem(await send("/auth/register", { json: { email, phone, password: PASSWORD, name: "Eve" }, env }), 429, "too_many_requests");
    }
  });

  it.each([
    ["no plus", "15555550123"],
    ["a leading zero", "+05555550123"],
    ["letters", "+1555CALLME"],
    ["spaces", "+1 555 555 0123"],
    ["too long", "+1555555012345678"],
    ["too short", "+12345"],
  ])("refuses a number with %s (400 validation_failed naming phone)", async (_case, phone) => {
    for (const [path, json] of [
      ["/auth/register", { phone, password: PASSWORD, name: "Ada" }],
      ["/auth/login", { phone }],
      ["/auth/resend-code", { phone }],
    ] as const) {
      const body = await expectProblem(await send(path, { json }), 400, "validation_failed");
      expect(body.errors).toEqual([{ path: "phone", message: expect.any(String) }]);
    }
  });

  it("takes the number as `phone` only, never in attributes at registration", async () => {
    const json = { email: newEmail(), password: PASSWORD, name: "Ada", attributes: { phone_number: newPhone() } };
    await expectProblem(await send("/auth/register", { json }), 400, "validation_failed");
    const neither = await expectProblem(await send("/auth/register", { json: { password: PASSWORD, name: "Ada" } }), 400, "validation_failed");
    expect(neither.errors).toEqual([{ path: "email", message: expect.any(String) }]);
  });
});
