import type { Identity } from "./types";

/** The identity a body names (email or phone), for the calls that follow it. */
export const identityOf = (body: Identity): Identity => (body.email !== undefined ? { email: body.email } : { phone: body.phone });

export const sameIdentity = (a: Identity | undefined, b: Identity) => a?.email === b.email && a?.phone === b.phone;
