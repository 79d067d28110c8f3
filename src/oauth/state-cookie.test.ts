import { describe, expect, it } from "vitest";
import { base64url } from "../crypto";
import { EdgeKeys } from "../seal/keys";
import { openState, sealState } from "./state-cookie";

const SECRET = "state-secret-of-at-least-32-characters";
const keys = new EdgeKeys({ current: SECRET });
const NOW = 1_700_000_000;
const state = { state: "s", verifier: "v", returnTo: "https://app.example.com/", exp: NOW + 600 };

/** A cookie whose MAC is right for any payload: what only a holder of the secret could make. */
async function signed(payload: unknown): Promise<string> {
  const encoded = base64url(JSON.stringify(payload));
  const mac = await crypto.subtle.sign("HMAC", await keys.current("oauth-state"), new TextEncoder().encode(encoded));
  return `${encoded}.${base64url(new Uint8Array(mac))}`;
}

describe("state cookie", () => {
  it("opens what it sealed until it expires", async () => {
    const cookie = await sealState(keys, state);
    expect(cookie).toBe(await signed(state));
    expect(await openState(keys, cookie, NOW)).toEqual(state);
    expect(await openState(keys, cookie, NOW + 600)).toBeUndefined();
  });

  it("refuses another secret's cookie and a changed payload; the previous secret's until its end", async () => {
    const cookie = await sealState(keys, state);
    expect(await openState(new EdgeKeys({ current: `${SECRET}!` }), cookie, NOW)).toBeUndefined();
    const rotated = new EdgeKeys({ current: `${SECRET}!`, previous: SECRET, previousUntilMs: Date.now() + 60_000 });
    expect(await openState(rotated, cookie, NOW)).toEqual(state);
    const [, mac] = cookie.split(".");
    expect(await openState(keys, `${base64url(JSON.stringify({ ...state, returnTo: "https://evil.example/" }))}.${mac}`, NOW)).toBeUndefined();
  });

  it.each([
    ["without a verifier", { state: "s", returnTo: "https://app.example.com/", exp: NOW + 600 }],
    ["with a state that is no string", { ...state, state: 1 }],
    ["that is no object", [NOW + 600]],
  ])("refuses an intact cookie %s", async (_, payload) => {
    expect(await openState(keys, await signed(payload), NOW)).toBeUndefined();
  });
});
