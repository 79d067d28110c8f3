// Destinations as AWS shows them in CodeDeliveryDetails and in
// CODE_DELIVERY_DESTINATION: masked ("a***@e***", "+*******0100"), never the
// address or number itself. cognito-local answers them unmasked.

/** `ada@example.com` -> `a***@e***`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return `${email[0] ?? ""}***@${email[at + 1] ?? ""}***`;
}

/** `+15555550100` -> `+*******0100`: the last four digits only. */
export const maskPhone = (phone: string): string => `+${"*".repeat(Math.max(phone.length - 5, 0))}${phone.slice(-4)}`;

/** A destination of `medium` (EMAIL or SMS), masked. */
export const maskDestination = (medium: unknown, destination: string): string =>
  medium === "SMS" ? maskPhone(destination) : maskEmail(destination);

/** True for an E.164 phone number (a username or phone_number value). */
export const isPhone = (value: unknown): value is string => typeof value === "string" && /^\+\d{7,15}$/.test(value);
