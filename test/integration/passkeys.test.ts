import { describe, expect, it } from "vitest";
import { type RegistrationResponseJSON, SoftwareAuthenticator } from "../support/authenticator";
import { completeRegistration, PAGE, registerPasskey, startRegistration } from "../support/passkeys";
import { claimsOf, enableTotp, expectProblem, injectFault, send, signedInUser, untilSignInOlderThan, withKv } from "../support/worker";

// A token older than REAUTH_MAX_AGE_S stands for a stolen one: the tests shorten the window to 1 s.
const OLD = { REAUTH_MAX_AGE_S: "1" };

async function passkeysOf(token: string): Promise<{ id: string }[]> {
  const res = await send("/auth/passkeys", { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { passkeys: { id: string }[] }).passkeys;
}

async function factorsOf(token: string) {
  const res = await send("/auth/me/factors", { token });
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  return res.json();
}

describe("passkeys (/auth/passkeys)", () => {
  it("registers a passkey, lists it and deletes it", async () => {
    const { email, tokens } = await signedInUser();
    const token = tokens.accessToken;
    const options = await startRegistration(token);
    expect(options).toMatchObject({
      challenge: expect.any(String),
      rp: { id: "localhost" },
      user: { id: expect.any(String), name: email },
      pubKeyCredParams: expect.arrayContaining([{ type: "public-key", alg: -7 }]),
    });
    const authenticator = await SoftwareAuthenticator.create();
    const registered = await completeRegistration(token, await authenticator.register(options, { origin: PAGE }));
    expect(registered.status).toBe(204);
    const list = await send("/auth/passkeys", { token });
    expect(list.headers.get("Cache-Control")).toBe("no-store");
    expect(await list.json()).toEqual({
      passkeys: [
        {
          id: authenticator.id,
          name: expect.any(String),
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          relyingPartyId: "localhost",
          authenticatorAttachment: "platform",
          transports: ["internal"],
        },
      ],
    });
    const deleted = await send(`/auth/passkeys/${authenticator.id}`, { method: "DELETE", token });
    expect(deleted.status).toBe(204);
    expect(await passkeysOf(token)).toEqual([]);
  });

  it("answers GET /auth/me/factors: the password, the verified email, passkeys and TOTP", async () => {
    const { tokens } = await signedInUser();
    const token = tokens.accessToken;
    expect(await factorsOf(token)).toEqual({ factors: ["password", "email_otp"], mfa: { enabled: [] } });
    const { authenticator } = await registerPasskey(token);
    expect(await factorsOf(token)).toEqual({ factors: ["password", "email_otp", "passkey"], mfa: { enabled: [] } });
    await enableTotp(token);
    expect(await factorsOf(token)).toEqual({
      factors: ["password", "email_otp", "passkey", "totp"],
      mfa: { preferred: "totp", enabled: ["totp"] },
    });
    expect((await send(`/auth/passkeys/${authenticator.id}`, { method: "DELETE", token })).status).toBe(204);
    expect(((await factorsOf(token)) as { factors: string[] }).factors).not.toContain("passkey");
  });

  it("needs a fresh sign-in to start or complete a registration and to delete a passkey, not to list them", async () => {
    const { tokens } = await signedInUser();
    const token = tokens.accessToken;
    const { authenticator } = await registerPasskey(token);
    const another = await SoftwareAuthenticator.create();
    const pending = await another.register(await startRegistration(token), { origin: PAGE });
    await untilSignInOlderThan(token, 1);
    const challenge = 'Bearer realm="cognito-edge", error="insufficient_user_authentication", max_age=1';
    for (const res of [
      await send("/auth/passkeys/registration", { method: "POST", token, env: OLD }),
      await send("/auth/passkeys", { token, json: { credential: pending }, env: OLD }),
      await send(`/auth/passkeys/${authenticator.id}`, { method: "DELETE", token, env: OLD }),
    ]) {
      await expectProblem(res, 401, "reauthentication_required");
      expect(res.headers.get("WWW-Authenticate")).toBe(challenge);
    }
    expect((await send("/auth/passkeys", { token, env: OLD })).status).toBe(200);
    expect((await send("/auth/me/factors", { token, env: OLD })).status).toBe(200);
    expect((await passkeysOf(token)).map((p) => p.id)).toEqual([authenticator.id]);
  });

  it("needs an access token on every route", async () => {
    for (const [path, method] of [
      ["/auth/passkeys/registration", "POST"],
      ["/auth/passkeys", "POST"],
      ["/auth/passkeys", "GET"],
      ["/auth/passkeys/AAAA", "DELETE"],
      ["/auth/me/factors", "GET"],
    ]) {
      const res = await send(path, { method });
      await expectProblem(res, 401, "unauthorized");
      expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="cognito-edge"');
    }
  });

  it("refuses a registration response made over another user's challenge: 400 code_expired", async () => {
    const victim = await signedInUser();
    const attacker = await signedInUser();
    const victimOptions = await startRegistration(victim.tokens.accessToken);
    await startRegistration(attacker.tokens.accessToken);
    const forged = await (await SoftwareAuthenticator.create()).register(victimOptions, { origin: PAGE });
    await expectProblem(await completeRegistration(attacker.tokens.accessToken, forged), 400, "code_expired");
    expect(await passkeysOf(attacker.tokens.accessToken)).toEqual([]);
    // The victim's own registration is untouched.
    const own = await (await SoftwareAuthenticator.create()).register(victimOptions, { origin: PAGE });
    expect((await completeRegistration(victim.tokens.accessToken, own)).status).toBe(204);
  });

  it("refuses a replayed registration response: 400 code_expired, nothing registered twice", async () => {
    const { tokens } = await signedInUser();
    const token = tokens.accessToken;
    const { credential } = await registerPasskey(token);
    await expectProblem(await completeRegistration(token, credential), 400, "code_expired");
    await startRegistration(token);
    await expectProblem(await completeRegistration(token, credential), 400, "code_expired");
    expect(await passkeysOf(token)).toHaveLength(1);
  });

  it("answers 404 not_found for another user's passkey id, and leaves that passkey in place", async () => {
    const owner = await signedInUser();
    const { authenticator } = await registerPasskey(owner.tokens.accessToken);
    const other = await signedInUser();
    const res = await send(`/auth/passkeys/${authenticator.id}`, { method: "DELETE", token: other.tokens.accessToken });
    await expectProblem(res, 404, "not_found");
    await expectProblem(await send("/auth/passkeys/bm8tc3VjaC1wYXNza2V5", { method: "DELETE", token: other.tokens.accessToken }), 404, "not_found");
    expect((await passkeysOf(owner.tokens.accessToken)).map((p) => p.id)).toEqual([authenticator.id]);
  });

  it("refuses a passkey made on another origin or for another relying party: 400 validation_failed", async () => {
    const { tokens } = await signedInUser();
    const token = tokens.accessToken;
    for (const ceremony of [{ origin: "https://evil.example" }, { origin: PAGE, rpId: "evil.example" }]) {
      const credential = await (await SoftwareAuthenticator.create()).register(await startRegistration(token), ceremony);
      await expectProblem(await completeRegistration(token, credential), 400, "validation_failed");
    }
    expect(await passkeysOf(token)).toEqual([]);
  });

  it("refuses malformed and oversized credentials with 400 validation_failed, never a 500", async () => {
    const { tokens } = await signedInUser();
    const token = tokens.accessToken;
    const good: RegistrationResponseJSON = await (await SoftwareAuthenticator.create()).register(await startRegistration(token), { origin: PAGE });
    const cases: unknown[] = [
      undefined,
      null,
      "a string",
      [good],
      {},
      { ...good, type: "password" },
      { ...good, id: "not base64url!" },
      { ...good, id: "A".repeat(1367), rawId: "A".repeat(1367) },
      { ...good, response: "nested" },
      { ...good, response: { ...good.response, clientDataJSON: undefined } },
      { ...good, response: { ...good.response, attestationObject: "%%%" } },
      { ...good, response: { ...good.response, transports: ["internal", 7] } },
      { ...good, response: { ...good.response, transports: Array(17).fill("usb") } },
    ];
    for (const credential of cases) {
      const res = await send("/auth/passkeys", { token, json: credential === undefined ? {} : { credential } });
      await expectProblem(res, 400, "validation_failed");
    }
    await expectProblem(await send("/auth/passkeys", { token, json: { credential: good, extra: 1 } }), 400, "validation_failed");
    // Well-formed, but not a registration Cognito can verify: refused by the pool, still a 400.
    const garbled = { ...good, response: { ...good.response, attestationObject: "AAAA" } };
    await expectProblem(await completeRegistration(token, garbled), 400, "validation_failed");
    const huge = { ...good, clientExtensionResults: { padding: "x".repeat(17 * 1024) } };
    await expectProblem(await completeRegistration(token, huge), 413, "payload_too_large");
    for (const id of ["%20", "A".repeat(1367), "a.b"]) {
      await expectProblem(await send(`/auth/passkeys/${id}`, { method: "DELETE", token }), 400, "validation_failed");
    }
  });

  it.each([
    ["an encoded slash", "/auth/passkeys/a%2Fb", 400, "validation_failed"],
    ["a double-encoded slash", "/auth/passkeys/a%252Fb", 400, "validation_failed"],
    ["an encoded NUL", "/auth/passkeys/a%00", 400, "validation_failed"],
    ["an encoded dot segment", "/auth/passkeys/%2E%2E", 404, "not_found"],
    ["a non-ASCII id", "/auth/passkeys/%C3%A9", 400, "validation_failed"],
    ["an id of 5,000 characters", `/auth/passkeys/${"A".repeat(5000)}`, 400, "validation_failed"],
    ["a path below an id", "/auth/passkeys/abc/def", 404, "not_found"],
    ["an encoded slash in the prefix", "/auth%2Fpasskeys/abc", 400, "validation_failed"],
    ["an encoded climb out of /auth", "/auth/..%2Fpasskeys/abc", 400, "validation_failed"],
  ])("answers a DELETE with %s itself, with the gateway bound: a problem of its own, never the upstream's answer", async (_case, path, status, code) => {
    const { tokens } = await signedInUser();
    await expectProblem(await send(path, { method: "DELETE", token: tokens.accessToken, env: withKv() }), status, code);
  });

  it("lists every passkey, across ListWebAuthnCredentials pages", async () => {
    const { tokens } = await signedInUser();
    const token = tokens.accessToken;
    const ids: string[] = [];
    // Cognito pages by at most 20: the 21st is on a second page.
    for (let i = 0; i < 21; i++) ids.push((await registerPasskey(token)).authenticator.id);
    expect((await passkeysOf(token)).map((p) => p.id)).toEqual(ids);
  });

  it("answers 503 upstream_unavailable with Retry-After when the pool has passkeys switched off", async () => {
    const { tokens } = await signedInUser();
    const username = String(claimsOf(tokens.accessToken).username);
    await injectFault({ op: "StartWebAuthnRegistration", username, kind: "error", type: "WebAuthnNotEnabledException", message: "off" });
    const res = await send("/auth/passkeys/registration", { method: "POST", token: tokens.accessToken });
    await expectProblem(res, 503, "upstream_unavailable");
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});
