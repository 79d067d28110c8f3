import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  claimsOf,
  expectProblem,
  login,
  ORIGIN,
  refresh,
  send,
  signedInUser,
  taggedCognito,
  type Tokens,
  untilPast,
  withKv,
} from "../support/worker";

const withoutKv = () => ({ UPSTREAM: env.TEST_UPSTREAM });

describe("revocation at the edge", () => {
  it("with REVOCATIONS bound, a logged-out access token stops passing the gateway", async () => {
    const { tokens } = await signedInUser();
    expect((await send("/api/x", { token: tokens.accessToken, env: withKv() })).status).toBe(200);
    const out = await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: tokens.refreshToken }, env: withKv() });
    expect(out.status).toBe(204);
    const res = await send("/api/x", { token: tokens.accessToken, env: withKv() });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("with REVOCATIONS bound, a global logout refuses every earlier token of the user", async () => {
    const first = await signedInUser();
    const again = await send("/auth/login", { json: { email: first.email, password: first.password } });
    const second = (await again.json()) as { accessToken: string };
    const out = await send("/auth/logout", { token: first.tokens.accessToken, json: { global: true }, env: withKv() });
    expect(out.status).toBe(204);
    await expectProblem(await send("/api/x", { token: second.accessToken, env: withKv() }), 401, "unauthorized");
  });

  it("without REVOCATIONS, a logged-out token still verifies locally until exp, but /auth/me refuses it", async () => {
    const { tokens } = await signedInUser();
    await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: tokens.refreshToken } });
    expect((await send("/api/x", { token: tokens.accessToken, env: withoutKv() })).status).toBe(200);
    await expectProblem(await send("/auth/me", { token: tokens.accessToken }), 401, "unauthorized");
  });

  it("a global logout and sign-ins within its second: the earlier token is refused, the later one passes (asked of Cognito once)", async () => {
    // The gateway's calls to Cognito under a tag of this test's own: other files' GetUser calls do not count.
    const cognito = taggedCognito();
    const gateway = { ...withKv(), ...cognito.env };
    const getUserCalls = async () => (await cognito.calls()).filter((op) => op === "GetUser").length;
    const { email, password, tokens: older } = await signedInUser();
    // The three steps take a fraction of a second: run them again (without waiting) in the rare case they straddled two.
    for (let attempt = 1; ; attempt++) {
      const before = await login(email, password);
      const out = await send("/auth/logout", { token: before.accessToken, json: { global: true }, env: withKv() });
      expect(out.status).toBe(204);
      const after = await login(email, password);
      const second = claimsOf(before.accessToken).iat;
      if (claimsOf(after.accessToken).iat !== second) {
        if (attempt < 5) continue;
        throw new Error("could not fit a logout and two sign-ins into one second");
      }
      await expectProblem(await send("/api/x", { token: older.accessToken, env: gateway }), 401, "unauthorized");
      await expectProblem(await send("/api/x", { token: before.accessToken, env: gateway }), 401, "unauthorized");
      expect((await send("/api/x", { token: after.accessToken, env: gateway })).status).toBe(200);
      const asked = await getUserCalls();
      expect(asked).toBeGreaterThanOrEqual(1);
      expect((await send("/api/x", { token: after.accessToken, env: gateway })).status).toBe(200);
      expect(await getUserCalls()).toBe(asked);
      return;
    }
  });

  it("a single-session logout keeps refusing the session's later tokens for a whole token life, not just the presented one's", async () => {
    const { tokens } = await signedInUser();
    // A refresh in a later second than the sign-in: its token lives to a later exp.
    await untilPast(Number(claimsOf(tokens.accessToken).iat) + 1);
    const res = await refresh(tokens.refreshToken);
    const later = (await res.json()) as Tokens;
    const laterClaims = claimsOf(later.accessToken);
    expect(laterClaims.exp).toBeGreaterThan(Number(claimsOf(tokens.accessToken).exp));
    // Logout with the older access token; the refreshed one belongs to the same session (origin_jti).
    const out = await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: tokens.refreshToken }, env: withKv() });
    expect(out.status).toBe(204);
    await expectProblem(await send("/api/x", { token: later.accessToken, env: withKv() }), 401, "unauthorized");
    const { keys } = await env.TEST_REVOCATIONS.list({ prefix: `session:${laterClaims.origin_jti}` });
    expect(keys).toHaveLength(1);
    // Refused until the later token's exp plus the 60 s tolerance, at least.
    expect(keys[0].expiration).toBeGreaterThanOrEqual(Number(laterClaims.exp) + 60);
  });

  it.each(["body", "cookie"])(
    "sign out everywhere with a refresh token presented (%s) ends every session (GlobalSignOut first, not after RevokeToken)",
    async (mode) => {
      const { email, password, tokens } = await signedInUser();
      const other = await login(email, password);
      const res =
        mode === "body"
          ? await send("/auth/logout", { token: tokens.accessToken, json: { refreshToken: tokens.refreshToken, global: true }, env: withKv() })
          : await send("/auth/logout", {
              token: tokens.accessToken,
              json: { global: true },
              headers: { Cookie: `__Host-refresh=${tokens.refreshToken}`, Origin: ORIGIN },
              env: withKv(),
            });
      expect(res.status).toBe(204);
      for (const session of [tokens, other]) {
        await expectProblem(await refresh(session.refreshToken), 401, "invalid_refresh_token");
        await expectProblem(await send("/auth/me", { token: session.accessToken }), 401, "unauthorized");
        await expectProblem(await send("/api/x", { token: session.accessToken, env: withKv() }), 401, "unauthorized");
      }
    },
  );
});
