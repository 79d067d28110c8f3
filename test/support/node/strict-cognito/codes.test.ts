// The stand-in's message codes (codes.ts): each confirmation, reset and
// verification message draws a code of its own, so that a test can tell a
// message that went out from one that did not; only the latest is taken, and
// cognito-local's fixed CODE is a wrong code like any other.
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { ownStandIn } from "./own-stand-in";
import "../../provided";

const cognito = inject("cognito");
const ClientId = cognito.publicClientId;
const PASSWORD = "Passw0rd!";
const { stand, call } = ownStandIn({ [ClientId]: { poolId: cognito.poolId } });
const typeOf = (answer: { body: Record<string, unknown> }) => answer.body.__type;

async function signedUp(): Promise<string> {
  const email = `codes-${randomUUID()}@example.com`;
  expect((await call("SignUp", { ClientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: email }] })).status).toBe(200);
  return email;
}

describe("message codes", () => {
  it("draws a new confirmation code for a resend, and takes only the latest", async () => {
    const email = await signedUp();
    const first = stand.outbox.lastTo(email);
    expect(first).toMatch(/^\d{6}$/);
    expect((await call("ResendConfirmationCode", { ClientId, Username: email })).status).toBe(200);
    const resent = stand.outbox.lastTo(email);
    expect(resent).toMatch(/^\d{6}$/);
    expect(resent).not.toBe(first);
    for (const wrong of [first, "123456"]) {
      expect(typeOf(await call("ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: wrong }))).toBe("CodeMismatchException");
    }
    expect((await call("ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: resent })).status).toBe(200);
  });

  it("draws a reset code of its own, which the confirmation code does not replace", async () => {
    const email = await signedUp();
    const confirmation = stand.outbox.lastTo(email);
    expect((await call("ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: confirmation })).status).toBe(200);
    expect((await call("ForgotPassword", { ClientId, Username: email })).status).toBe(200);
    const reset = stand.outbox.lastTo(email);
    expect(reset).not.toBe(confirmation);
    const confirm = (code: unknown) => call("ConfirmForgotPassword", { ClientId, Username: email, ConfirmationCode: code, Password: `N3w-${PASSWORD}` });
    expect(typeOf(await confirm(confirmation))).toBe("CodeMismatchException");
    expect((await confirm(reset)).status).toBe(200);
  });
});
