import type { Context } from "hono";
import { randomBase64url } from "../crypto";
import { readCookie, writeCookie } from "../session/cookies";

/** OWASP's device cookie: marks a browser that has signed in to an account before. */
export const DEVICE_COOKIE = "__Host-device";
/** How long a device is remembered, by its cookie and by the account's limiter. */
export const DEVICE_MAX_AGE_S = 365 * 24 * 3600;

/** The device id this request presents, when well-formed (16 random bytes, base64url). */
export function presentedDevice(c: Context): string | undefined {
  const id = readCookie(c, DEVICE_COOKIE);
  return id && /^[\w-]{22}$/.test(id) ? id : undefined;
}

/** The presented device id, else a new random one; sets it as the device cookie. */
export function setDeviceCookie(c: Context): string {
  const id = presentedDevice(c) ?? randomBase64url(16);
  writeCookie(c, DEVICE_COOKIE, id, { sameSite: "Strict", maxAge: DEVICE_MAX_AGE_S });
  return id;
}
