import type { Context } from "hono";
import * as z from "zod/mini";
import type { Config } from "../config";
import { base64url, fromBase64url } from "../crypto";
import { open, seal } from "../seal/aead";
import { keysOf } from "../seal/context";
import type { AppEnv } from "../types";
import { cookieString, readCookie, writeCookie } from "./cookies";

// The browser session's cookie (SESSION_MODE=browser): the access token and
// what a page shows of the user, sealed under a key of its own, bound to the
// app client. Only what this Worker sealed opens: a forged, altered or other
// deployment's cookie is refused before Cognito is asked anything. The refresh
// token rides beside it in the refresh cookie (our sealed `ce2.` form): the two
// together pass the browser's 4096-byte limit per cookie (docs/security.md).

/** Named apart from an app's own `__Host-session`, which the gateway passes through untouched. */
export const SESSION_COOKIE = "__Host-edge-session";

/** What the session cookie holds. */
export interface BrowserSession {
  /** Cognito's access token. */
  accessToken: string;
  /** From the ID token: what a page renders. */
  sub: string;
  email?: string;
  phone?: string;
  name?: string;
  /** The original sign-in (s): step-up reads it, refreshes keep it. */
  authTime?: number;
  /** When the session ends at the latest (s): the refresh token's life from its last issue. */
  endsAt: number;
  /** When Cognito last confirmed the access token (s): a copy older than SESSION_CHECK_S is asked again. */
  checkedAt: number;
}

const Payload = z.lazy(() =>
  z.object({
    a: z.string(),
    s: z.string(),
    m: z.optional(z.string()),
    p: z.optional(z.string()),
    n: z.optional(z.string()),
    t: z.optional(z.number()),
    e: z.number(),
    c: z.number(),
  }),
);
const encoder = new TextEncoder();

/** Most characters, and UTF-8 bytes, of the `name` a session keeps for display: the whole of it is GET /auth/me's. */
export const NAME_CHARS = 64;
export const NAME_BYTES = 256;
/** Longer email addresses (RFC 5321 allows 254 octets) and phone numbers (E.164: 16) are not kept in the cookie. */
export const EMAIL_BYTES = 320;
export const PHONE_BYTES = 32;

/**
 * `name` cut to NAME_CHARS characters and NAME_BYTES bytes, whole code points
 * only: an attribute can hold 2048 characters, four bytes each, and the
 * cookie must fit a browser's 4096 bytes whatever the user calls themselves.
 */
export function displayName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  let out = "";
  let bytes = 0;
  for (const char of Array.from(name).slice(0, NAME_CHARS)) {
    bytes += encoder.encode(char).length;
    if (bytes > NAME_BYTES) break;
    out += char;
  }
  return out || undefined;
}

/** `value` when it takes at most `bytes` UTF-8 bytes, else nothing (a cut address or number would be a wrong one). */
export const within = (value: string | undefined, bytes: number) => (value !== undefined && encoder.encode(value).length <= bytes ? value : undefined);

/** The cookie's value: the session sealed for `browser-session`, bound to the app client. */
export async function sealBrowserSession(config: Config, s: BrowserSession): Promise<string> {
  // What a page shows is kept within a fixed budget (about 600 bytes), so that the cookie fits whatever the attributes hold.
  const payload = {
    a: s.accessToken,
    s: s.sub,
    m: within(s.email, EMAIL_BYTES),
    p: within(s.phone, PHONE_BYTES),
    n: displayName(s.name),
    t: s.authTime,
    e: s.endsAt,
    c: s.checkedAt,
  };
  return base64url(await seal(keysOf(config), "browser-session", config.clientId, encoder.encode(JSON.stringify(payload))));
}

/** The session of a cookie value this Worker sealed; undefined for anything else. */
export async function openBrowserSession(config: Config, value: string): Promise<BrowserSession | undefined> {
  if (!/^[\w-]+$/.test(value)) return undefined;
  let opened: Awaited<ReturnType<typeof open>>;
  try {
    opened = await open(keysOf(config), "browser-session", config.clientId, fromBase64url(value));
  } catch {
    return undefined;
  }
  if (!opened) return undefined;
  try {
    const p = Payload.parse(JSON.parse(new TextDecoder().decode(opened.plaintext)));
    return { accessToken: p.a, sub: p.s, email: p.m, phone: p.p, name: p.n, authTime: p.t, endsAt: p.e, checkedAt: p.c };
  } catch {
    return undefined;
  }
}

/** The request's session cookie, if any. */
export const sessionCookieOf = (c: Context<AppEnv>): string | undefined => readCookie(c, SESSION_COOKIE);

/**
 * The Set-Cookie of a session. Strict, as the refresh cookie: no request from
 * another site, not even a top-level GET from a link, carries the session; a
 * page of the app sends it on its own fetches (docs/security.md).
 */
export const sessionSetCookie = (value: string, maxAgeS: number): string => cookieString(SESSION_COOKIE, value, { sameSite: "Strict", maxAge: maxAgeS });

/** Expires the session cookie. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  writeCookie(c, SESSION_COOKIE, "", { sameSite: "Strict", maxAge: 0 });
}
