// Cognito threat protection sees the user, not Cloudflare (docs/API.md, "User
// context"): what reaches Cognito is read back from the strict layer's log.
import { inject, describe, expect, it } from "vitest";
import { totp } from "../support/totp";
import {
  claimsOf,
  enableTotp,
  expectProblem,
  isSecretClient,
  lastCode,
  NEW_PASSWORD,
  newEmail,
  PASSWORD,
  send,
  signedInUser,
  strictControl,
  type Tokens,
} from "../support/worker";

const { encodedData, ip } = inject("userContext");
/** What a browser behind Cloudflare sends: the page's context data, and the address Cloudflare saw. */
const FROM_USER = { "X-Cognito-Context-Data": encodedData, "CF-Connecting-IP": ip };

/** The confidential test client accepts the IP (COGNITO_USER_CONTEXT_IP=on); the public one cannot. */
const expected = (withData = true) => {
  const data = { ...(withData ? { EncodedData: encodedData } : {}), ...(isSecretClient() ? { IpAddress: ip } : {}) };
  return Object.keys(data).length ? data : null;
};

/** The UserContextData of the last `op` call the strict layer saw for `user` (null: the call had none). */
async function sent(op: string, user: string): Promise<unknown> {
  const res = await strictControl(`/__context?op=${op}&user=${encodeURIComponent(user)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { userContextData: unknown }).userContextData;
}

const post = (path: string, json: unknown, headers: Record<string, string> = FROM_USER, env?: Record<string, unknown>) =>
  send(path, { json, headers, env });

describe("UserContextData", () => {
  it("goes with sign-up, confirmation, resend, sign-in, refresh, forgot and reset password", async () => {
    const email = newEmail();
    expect((await post("/auth/register", { email, password: PASSWORD, name: "Ada" })).status).toBe(201);
    expect(await sent("SignUp", email)).toEqual(expected());
    expect((await post("/auth/verify", { email, code: await lastCode(email) })).status).toBe(200);
    expect(await sent("ConfirmSignUp", email)).toEqual(expected());
    expect((await post("/auth/resend-code", { email })).status).toBe(202);
    expect(await sent("ResendConfirmationCode", email)).toEqual(expected());
    const login = await post("/auth/login", { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(await sent("InitiateAuth", email)).toEqual(expected());
    const tokens = (await login.json()) as Tokens;
    expect((await post("/auth/refresh", { refreshToken: tokens.refreshToken })).status).toBe(200);
    expect(await sent("InitiateAuth", String(claimsOf(tokens.accessToken).username))).toEqual(expected());
    expect((await post("/auth/forgot-password", { email })).status).toBe(202);
    expect(await sent("ForgotPassword", email)).toEqual(expected());
    expect((await post("/auth/reset-password", { email, code: await lastCode(email), newPassword: NEW_PASSWORD })).status).toBe(200);
    expect(await sent("ConfirmForgotPassword", email)).toEqual(expected());
  });

  it("goes with the answer to an MFA challenge", async () => {
    const { email, tokens } = await signedInUser();
    const { secret } = await enableTotp(tokens.accessToken);
    const { session } = (await (await post("/auth/login", { email, password: PASSWORD })).json()) as { session: string };
    const res = await post("/auth/challenge", { email, challenge: "SOFTWARE_TOKEN_MFA", session, code: await totp(secret) });
    expect(res.status).toBe(200);
    expect(await sent("RespondToAuthChallenge", email)).toEqual(expected());
  });

  it("goes nowhere else: not with the calls a bearer token makes", async () => {
    const { email, tokens } = await signedInUser();
    const username = String(claimsOf(tokens.accessToken).username);
    expect((await send("/auth/me", { token: tokens.accessToken, headers: FROM_USER })).status).toBe(200);
    const change = await send("/auth/change-password", {
      token: tokens.accessToken,
      headers: FROM_USER,
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(change.status).toBe(200);
    for (const op of ["GetUser", "ChangePassword", "GlobalSignOut"]) expect(await sent(op, username)).toBeNull();
    // The sign-in with the new password is the user's own, from the same device.
    expect(await sent("InitiateAuth", email)).toEqual(expected());
  });

  it("carries no EncodedData without the header, nor one that is too long or not base64", async () => {
    for (const header of [undefined, "A".repeat(8193), "not base64!", "<script>"]) {
      const { email } = await signedInUser();
      const headers: Record<string, string> = { "CF-Connecting-IP": ip, ...(header ? { "X-Cognito-Context-Data": header } : {}) };
      expect((await post("/auth/login", { email, password: PASSWORD }, headers)).status).toBe(200);
      expect(await sent("InitiateAuth", email)).toEqual(expected(false));
    }
  });

  it.runIf(isSecretClient())("sends the IP only with COGNITO_USER_CONTEXT_IP=on", async () => {
    const { email } = await signedInUser();
    expect((await post("/auth/login", { email, password: PASSWORD }, FROM_USER, { COGNITO_USER_CONTEXT_IP: "off" })).status).toBe(200);
    expect(await sent("InitiateAuth", email)).toEqual({ EncodedData: encodedData });
  });

  it.runIf(!isSecretClient())("refuses COGNITO_USER_CONTEXT_IP=on for a public client: 500, the IP never leaves", async () => {
    const email = newEmail();
    const res = await post("/auth/register", { email, password: PASSWORD, name: "Ada" }, FROM_USER, { COGNITO_USER_CONTEXT_IP: "on" });
    await expectProblem(res, 500, "internal_error");
    expect((await strictControl(`/__context?op=SignUp&user=${encodeURIComponent(email)}`)).status).toBe(404);
  });

  it("lets browsers send the header cross-origin (CORS preflight)", async () => {
    const res = await send("/auth/login", {
      method: "OPTIONS",
      headers: { Origin: "https://app.example.com", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-cognito-context-data" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("X-Cognito-Context-Data");
  });
});
