import { describe, expect, it } from "vitest";
import { AuthError } from "../errors";
import { base64url } from "../crypto";
import { seal } from "../seal/aead";
import { EdgeKeys } from "../seal/keys";
import { legacySid, newSid, SID, unwrapRefreshToken, wrapRefreshToken } from "./refresh-token";

const SECRET = "refresh-token-test-secret-of-32-bytes";
const keys = new EdgeKeys({ current: SECRET });
const cognitoToken = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d";

const SID_A = newSid();
const refused = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ code: "invalid_refresh_token" });

describe("sealed refresh tokens", () => {
  it("round-trips the username and Cognito's token, and shows neither", async () => {
    const wrapped = await wrapRefreshToken(keys, "client-a", "5f1c-ünïcode", cognitoToken, SID_A);
    expect(wrapped).toMatch(/^ce2\.[\w-]+$/);
    expect(wrapped).not.toContain("eyJ");
    expect(await unwrapRefreshToken(keys, "client-a", wrapped)).toEqual({ username: "5f1c-ünïcode", token: cognitoToken, sid: SID_A, current: true });
  });

  it("refuses a bare Cognito token and the unsealed wrapper of earlier versions", async () => {
    await refused(unwrapRefreshToken(keys, "client-a", cognitoToken));
    await refused(unwrapRefreshToken(keys, "client-a", `ce1.${btoa("user").replace(/=+$/, "")}.${cognitoToken}`));
  });

  it("refuses a truncated, altered, foreign or other client's token", async () => {
    const wrapped = await wrapRefreshToken(keys, "client-a", "user", cognitoToken, SID_A);
    const flipped = wrapped.slice(0, 20) + (wrapped[20] === "A" ? "B" : "A") + wrapped.slice(21);
    await refused(unwrapRefreshToken(keys, "client-a", wrapped.slice(0, -4)));
    await refused(unwrapRefreshToken(keys, "client-a", flipped));
    await refused(unwrapRefreshToken(new EdgeKeys({ current: `${SECRET}-other` }), "client-a", wrapped));
    await refused(unwrapRefreshToken(keys, "client-b", wrapped));
    for (const value of ["ce2.", "ce2.!!!", "ce2.AAAA"]) await refused(unwrapRefreshToken(keys, "client-a", value));
    await expect(unwrapRefreshToken(keys, "client-a", "ce2.")).rejects.toBeInstanceOf(AuthError);
  });

  it("opens a token of the previous secret until its stated end, and says so", async () => {
    const old = await wrapRefreshToken(new EdgeKeys({ current: `${SECRET}-old` }), "client-a", "user", cognitoToken, SID_A);
    const rotating = new EdgeKeys({ current: SECRET, previous: `${SECRET}-old`, previousUntilMs: Date.now() + 60_000 });
    expect(await unwrapRefreshToken(rotating, "client-a", old)).toMatchObject({ token: cognitoToken, current: false });
    const retired = new EdgeKeys({ current: SECRET, previous: `${SECRET}-old`, previousUntilMs: Date.now() - 1 });
    await refused(unwrapRefreshToken(retired, "client-a", old));
  });

  it("gives a token sealed before sessions had ids the same derived id on every refresh, and refuses a malformed id", async () => {
    const sealedAs = async (content: object) =>
      `ce2.${base64url(await seal(keys, "refresh-token", "client-a", new TextEncoder().encode(JSON.stringify(content))))}`;
    const legacy = await sealedAs({ u: "user", t: cognitoToken });
    const opened = await unwrapRefreshToken(keys, "client-a", legacy);
    expect(opened.sid).toMatch(SID);
    expect(opened.sid).toBe(await legacySid(cognitoToken));
    expect((await unwrapRefreshToken(keys, "client-a", await sealedAs({ u: "user", t: cognitoToken }))).sid).toBe(opened.sid);
    expect(await legacySid(`${cognitoToken}x`)).not.toBe(opened.sid);
    await refused(unwrapRefreshToken(keys, "client-a", await sealedAs({ u: "user", t: cognitoToken, s: "short" })));
  });

  it("assigns 128-bit random ids", () => {
    const ids = new Set(Array.from({ length: 100 }, newSid));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(SID);
  });
});
