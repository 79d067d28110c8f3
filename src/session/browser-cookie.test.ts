import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { base64url } from "../crypto";
import { type BrowserSession, displayName, openBrowserSession, sealBrowserSession, sessionSetCookie } from "./browser-cookie";
import { refreshSetCookie } from "./refresh-cookie";
import { newSid, wrapRefreshToken } from "./refresh-token";

const config = parseConfig({
  AWS_REGION: "eu-west-1",
  COGNITO_USER_POOL_ID: "eu-west-1_Abc123",
  COGNITO_CLIENT_ID: "client1",
  EDGE_SECRET: "s".repeat(43),
});
const keys = config.keys;
/** Text of `n` base64url characters, as a token's segments are. */
const segment = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(Math.ceil((n * 3) / 4)))).slice(0, n);
/** A Cognito access token of `bytes` (measured: 1.0 to 1.2 KB; more with many groups or custom scopes). */
const accessToken = (bytes: number) => `eyJ${segment(100)}.eyJ${segment(bytes - 100 - 350)}.${segment(342)}`;
/** Cognito's refresh token: a JWE of five segments, about 1.7 KB. */
const REFRESH = `eyJ${segment(80)}.${segment(342)}.${segment(22)}.${segment(1200)}.${segment(22)}`;

const session = (token: string): BrowserSession => ({
  accessToken: token,
  sub: crypto.randomUUID(),
  email: "someone.with.a.long.name@example.com",
  name: "Someone With A Long Name",
  authTime: 1_800_000_000,
  endsAt: 1_802_592_000,
  checkedAt: 1_800_000_000,
});

describe("browser session cookies", () => {
  it("fit a browser's 4096 bytes per cookie with Cognito's usual tokens", async () => {
    const sealed = sessionSetCookie(await sealBrowserSession(config, session(accessToken(1200))), 2_592_000);
    const refresh = refreshSetCookie(await wrapRefreshToken(keys ?? expect.fail(), config.clientId, crypto.randomUUID(), REFRESH, newSid()));
    expect(sealed.length).toBeLessThan(2200);
    expect(refresh.length).toBeLessThan(2600);
  });

  it("still fit with an access token of 2.7 KB (many groups), and not with 3 KB", async () => {
    expect(sessionSetCookie(await sealBrowserSession(config, session(accessToken(2700))), 1).length).toBeLessThanOrEqual(4096);
    expect(sessionSetCookie(await sealBrowserSession(config, session(accessToken(3000))), 1).length).toBeGreaterThan(4096);
  });

  it("opens what it sealed, and nothing altered or sealed for another app client", async () => {
    const value = await sealBrowserSession(config, session(accessToken(1100)));
    expect((await openBrowserSession(config, value))?.email).toBe("someone.with.a.long.name@example.com");
    const altered = value.slice(0, 30) + (value[30] === "A" ? "B" : "A") + value.slice(31);
    expect(await openBrowserSession(config, altered)).toBeUndefined();
    const other = parseConfig({ AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_Abc123", COGNITO_CLIENT_ID: "client2", EDGE_SECRET: "s".repeat(43) });
    expect(await openBrowserSession(other, value)).toBeUndefined();
  });
});

describe("the session cookie's size, whatever the user's attributes", () => {
  const long = ["n".repeat(2048), "é".repeat(1000), "名".repeat(700), "𝒜".repeat(1024)];
  for (const name of long) {
    it(`fits 4096 bytes with a usual access token and a name of ${name.length} units (${new TextEncoder().encode(name).length} bytes)`, async () => {
      const session = {
        accessToken: accessToken(1200),
        sub: crypto.randomUUID(),
        email: `${"e".repeat(64)}@${"d".repeat(180)}.example`,
        phone: "+155555501001234",
        name,
        authTime: 1_800_000_000,
        endsAt: 1_802_592_000,
        checkedAt: 1_800_000_000,
      };
      const cookie = sessionSetCookie(await sealBrowserSession(config, session), 2_592_000);
      expect(cookie.length).toBeLessThanOrEqual(4096);
      const opened = await openBrowserSession(config, cookie.slice(cookie.indexOf("=") + 1, cookie.indexOf(";")));
      expect(opened?.name).toBe(displayName(name));
      expect(opened?.email).toBe(session.email);
    });
  }

  it("cuts a name to 64 characters and 256 bytes, never inside a character", () => {
    expect(displayName("Ada Lovelace")).toBe("Ada Lovelace");
    expect(displayName("n".repeat(2048))).toBe("n".repeat(64));
    expect(displayName("𝒜".repeat(100))).toBe("𝒜".repeat(64));
    expect(new TextEncoder().encode(displayName("𝒜".repeat(100))).length).toBe(256);
    expect(displayName(undefined)).toBeUndefined();
  });

  it("keeps no email address or phone number too long to be one", async () => {
    const value = await sealBrowserSession(config, {
      accessToken: accessToken(1100),
      sub: "s",
      email: `${"e".repeat(2000)}@example.com`,
      phone: `+1${"5".repeat(100)}`,
      endsAt: 1,
      checkedAt: 1,
    });
    const opened = await openBrowserSession(config, value);
    expect(opened?.email).toBeUndefined();
    expect(opened?.phone).toBeUndefined();
  });
});
