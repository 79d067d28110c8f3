// Where a code went, as the client may see it: masked, never the address or
// number itself (docs/API.md). Cognito masks its CodeDeliveryDetails; these
// keep that promise for answers the Worker shapes itself.

/** `ada@example.com` -> `a***@e***`, Cognito's style. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return `${email[0] ?? ""}***@${email[at + 1] ?? ""}***`;
}

/** `+15555550100` -> `+*******0100`: the last four digits only, Cognito's style. */
export const maskPhone = (phone: string): string => `+${"*".repeat(Math.max(phone.length - 5, 0))}${phone.slice(-4)}`;

/** A destination of `medium` (EMAIL or SMS), masked unless it already is. */
export const maskDestination = (medium: string, destination: string): string =>
  destination.includes("*") ? destination : medium === "SMS" ? maskPhone(destination) : maskEmail(destination);
