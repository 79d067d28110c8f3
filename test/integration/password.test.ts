import { describe, expect, it } from "vitest";
import { expectGaveUpAfterTimeout, HUNG_ENV } from "../support/hung";
import { NOT_THE_PASSWORD, SHORT_PASSWORD, WEAK_PASSWORD } from "../support/secrets";
import {
  claimsOf,
  expectProblem,
  expectTokens,
  injectFault,
  lastCode,
  NEW_PASSWORD,
  newEmail,
  PASSWORD,
  registeredUser,
  send,
  setCookie,
  signedInUser,
} from "../support/worker";

describe("POST /auth/forgot-password", () => {
  const ask = (email: string) => send("/auth/forgot-password", { json: { email } });

  it("answers known and unknown emails identically (202, same body and headers)", async () => {
    const { email } = await registeredUser();
    const [known, unknown] = await Promise.all([ask(email), ask(newEmail())]);
    expect(known.status).toBe(202);
    const strip = (r: Response) => [...r.headers].filter(([k]) => k !== "x-request-id");
    expect({ status: unknown.status, body: await unknown.text(), headers: strip(unknown) }).toEqual({
      status: known.status,
      body: await known.text(),
      headers: strip(known),
    });
  });

  it("answers 503 with Retry-After when Cognito is down", async () => {
    const email = newEmail();
    await injectFault({ op: "ForgotPassword", username: email, kind: "timeout" });
    const started = Date.now();
    const res = await send("/auth/forgot-password", { json: { email }, env: HUNG_ENV });
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
    expectGaveUpAfterTimeout(started);
  });
});

describe("POST /auth/reset-password", () => {
  it("sets a new password with the emailed code", async () => {
    const { email } = await registeredUser();
    await send("/auth/forgot-password", { json: { email } });
    const res = await send("/auth/reset-password", { json: { email, code: await lastCode(email), newPassword: NEW_PASSWORD } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reset: true, signedOut: true });
    expect((await send("/auth/login", { json: { email, password: NEW_PASSWORD } })).status).toBe(200);
    await expectProblem(await send("/auth/login", { json: { email, password: PASSWORD } }), 401, "invalid_credentials");
  });

  it("answers 400 code_mismatch for a wrong code, and for an unknown email", async () => {
    const { email } = await registeredUser();
    await send("/auth/forgot-password", { json: { email } });
    await expectProblem(
      await send("/auth/reset-password", { json: { email, code: "999999", newPassword: NEW_PASSWORD } }),
      400,
      "code_mismatch",
    );
    await expectProblem(
      await send("/auth/reset-password", { json: { email: newEmail(), code: "123456", newPassword: NEW_PASSWORD } }),
      400,
      "code_mismatch",
    );
  });

  it("answers 400 code_expired for an expired code", async () => {
    const { email } = await registeredUser();
    await injectFault({ op: "ConfirmForgotPassword", username: email, kind: "error", type: "ExpiredCodeException" });
    await expectProblem(
      await send("/auth/reset-password", { json: { email, code: "123456", newPassword: NEW_PASSWORD } }),
      400,
      "code_expired",
    );
  });

  it("answers 400 weak_password for a password the policy refuses", async () => {
    const { email } = await registeredUser();
    await send("/auth/forgot-password", { json: { email } });
    const res = await send("/auth/reset-password", { json: { email, code: await lastCode(email), newPassword: SHORT_PASSWORD } });
    const body = await expectProblem(res, 400, "weak_password");
    expect(JSON.stringify(body)).not.toContain(SHORT_PASSWORD);
  });
});

describe("POST /auth/change-password", () => {
  it("changes the password with the current one and signs the caller in again, as /auth/login answers", async () => {
    const { email, tokens } = await signedInUser();
    const res = await send("/auth/change-password", {
      token: tokens.accessToken,
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    await expectTokens(res, { refreshToken: true });
    expect(setCookie(res, "__Host-refresh")).toMatch(/^__Host-refresh=ce2\..*HttpOnly; Secure; SameSite=Strict/);
    expect((await send("/auth/login", { json: { email, password: NEW_PASSWORD } })).status).toBe(200);
    await expectProblem(await send("/auth/login", { json: { email, password: PASSWORD } }), 401, "invalid_credentials");
  });

  it("answers 400 invalid_credentials for a wrong current password (the token is fine)", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/change-password", {
      token: tokens.accessToken,
      json: { currentPassword: NOT_THE_PASSWORD, newPassword: NEW_PASSWORD },
    });
    await expectProblem(res, 400, "invalid_credentials");
  });

  it("answers 400 weak_password for a weak new password", async () => {
    const { tokens } = await signedInUser();
    const res = await send("/auth/change-password", {
      token: tokens.accessToken,
      json: { currentPassword: PASSWORD, newPassword: WEAK_PASSWORD },
    });
    await expectProblem(res, 400, "weak_password");
  });

  it("answers 429 with Retry-After when Cognito throttles", async () => {
    const { tokens } = await signedInUser();
    // This user's call only: another file's ChangePassword at the same moment must not take the fault.
    await injectFault({ op: "ChangePassword", username: String(claimsOf(tokens.accessToken).username), kind: "throttle" });
    const res = await send("/auth/change-password", {
      token: tokens.accessToken,
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    await expectProblem(res, 429, "too_many_requests");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("requires a bearer token", async () => {
    const res = await send("/auth/change-password", { json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    await expectProblem(res, 401, "unauthorized");
  });
});
