import { describe, expect, it } from "vitest";
import { base64url, hmac } from "../crypto";
import { openState, sealState } from "./state-cookie";

const SECRET = "state-secret-of-at-least-32-characters";
const NOW = 1_700_000_000;
const state = { state: "s", verifier: "v", returnTo: "https://app.example.com/", exp: NOW + 600 };

/** A cookie whose MAC is right for any payload: what only a holder of the secret could make. */
async function signed(payload: unknown): Promise<string> {
  const encoded = base64url(JSON.stringify(payload));
  return `${encoded}.${base64url(await hmac(`cognito-edge oauth state\0${SECRET}`, encoded))}`;
}

describe("state cookie", () => {
  it("opens what it sealed until it expires", async () => {
    const cookie = await sealState(SECRET, state);
    expect(cookie).toBe(await signed(state));
    expect(await openState(SECRET, cookie, NOW)).toEqual(state);
    expect(await openState(SECRET, cookie, NOW + 600)).toBeUndefined();
  });

  it("refuses another secret's cookie and a changed payload", async () => {
    const cookie = await sealState(SECRET, state);
    expect(await openState(`${SECRET}!`, cookie, NOW)).toBeUndefined();
    const [, mac] = cookie.split(".");
    expect(await openState(SECRET, `${base64url(JSON.stringify({ ...state, returnTo: "https://evil.example/" }))}.${mac}`, NOW)).toBeUndefined();
  });

  it.each([
    ["without a verifier", { state: "s", returnTo: "https://app.example.com/", exp: NOW + 600 }],
    ["with a state that is no string", { ...state, state: 1 }],
    ["that is no object", [NOW + 600]],
  ])("refuses an intact cookie %s", async (_, payload) => {
    expect(await openState(SECRET, await signed(payload), NOW)).toBeUndefined();
  });
});
