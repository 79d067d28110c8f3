// Where AWS's documentation leaves room, the Worker must be right whichever
// way Cognito answers: each test here runs under every reading the stand-in
// offers (readings.ts), chosen for its own fresh user through /__reading, so
// that files running side by side against the one stand-in never meet
// another's choice. With refresh-token rotation: how far RevokeToken reaches
// into the tokens rotated from or into the one presented, and whether a
// rotated token keeps its sign-in's origin_jti. With TOTP: whether
// GetUserAuthFactors lists SOFTWARE_TOKEN.
import { describe, expect, inject, it } from "vitest";
import { answer, challenged, lastCode } from "../support/user-auth";
import {
  enableTotp,
  expectProblem,
  expectTokens,
  isSecretClient,
  refresh,
  registeredUser,
  send,
  signedInUser,
  strictControl,
  withKv,
} from "../support/worker";

const cognito = inject("cognito");

/** Chooses how the stand-in answers for `email` where AWS's documentation leaves room. */
async function choose(email: string, reading: Record<string, string>): Promise<void> {
  const res = await strictControl("/__reading", { method: "POST", body: JSON.stringify({ poolId: cognito.poolId, username: email, ...reading }) });
  expect(res.status).toBe(200);
}

/** The Worker's env for this project's kind of rotating client with the long grace period (the replaced token still works). */
function rotating() {
  const client = cognito.rotatingClients.find((c) => c.kind === (isSecretClient() ? "secret" : "public") && c.graceSeconds === 60);
  if (!client) throw new Error("no rotating client with a 60 s grace period");
  return { COGNITO_CLIENT_ID: client.clientId, COGNITO_CLIENT_SECRET: client.clientSecret ?? "", REFRESH_ROTATION: "on", REFRESH_TOKEN_DELIVERY: "body" };
}

type Env = ReturnType<typeof rotating> & Partial<ReturnType<typeof withKv>>;

/** A fresh user under `reading`, signed in and refreshed once: the replaced tokens and the newest. */
async function rotatedSession(reading: Record<string, string>, env: Env) {
  const { email, password } = await registeredUser();
  await choose(email, reading);
  const first = (await expectTokens(await send("/auth/login", { json: { email, password }, env }), { refreshToken: true })) as Record<string, string>;
  const next = (await expectTokens(await refresh(first.refreshToken, { env }), { refreshToken: true })) as Record<string, string>;
  return { first, next };
}

const ROTATION_READINGS = ["token", "family"].flatMap((revoke) => ["kept", "new"].map((originJti) => ({ revoke, originJti })));

describe.each(ROTATION_READINGS)("logout with rotation, RevokeToken reaching the $revoke, origin_jti $originJti", (reading) => {
  it.each(["newest", "replaced"] as const)("after logout with the %s token, no token of the session refreshes", async (presented) => {
    const env = rotating();
    const { first, next } = await rotatedSession(reading, env);
    const refreshToken = presented === "newest" ? next.refreshToken : first.refreshToken;
    expect((await send("/auth/logout", { token: next.accessToken, json: { refreshToken }, env })).status).toBe(204);
    await expectProblem(await refresh(next.refreshToken, { env }), 401, "invalid_refresh_token");
    await expectProblem(await refresh(first.refreshToken, { env }), 401, "invalid_refresh_token");
    await expectProblem(await send("/auth/me", { token: next.accessToken, env }), 401, "unauthorized");
  });

  it("with REVOCATIONS, no access token of the session passes the edge after logout, before or after the rotation", async () => {
    const env = { ...rotating(), ...withKv() };
    const { first, next } = await rotatedSession(reading, env);
    expect((await send("/auth/logout", { token: next.accessToken, json: { refreshToken: next.refreshToken }, env })).status).toBe(204);
    for (const accessToken of [first.accessToken, next.accessToken]) {
      await expectProblem(await send("/api/x", { token: accessToken, env }), 401, "unauthorized");
    }
    await expectProblem(await refresh(first.refreshToken, { env }), 401, "invalid_refresh_token");
  });
});

describe.each(["listed", "unlisted"])("TOTP with SOFTWARE_TOKEN %s among GetUserAuthFactors' factors", (softwareTokenFactor) => {
  it("refuses an email-code sign-in of a TOTP account: 401 second_factor_required", async () => {
    const { email, tokens } = await signedInUser();
    await choose(email, { softwareTokenFactor });
    await enableTotp(tokens.accessToken);
    const got = await challenged({ email, method: "email_otp" });
    await expectProblem(await answer({ email }, got, { code: await lastCode(email) }), 401, "second_factor_required");
  });

  it("lists totp among the factors and the MFA that is on", async () => {
    const { email, tokens } = await signedInUser();
    await choose(email, { softwareTokenFactor });
    await enableTotp(tokens.accessToken);
    const res = await send("/auth/me/factors", { token: tokens.accessToken });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { factors: string[]; mfa: { enabled: string[] } };
    expect(body.factors).toContain("totp");
    expect(body.mfa.enabled).toEqual(["totp"]);
  });
});
