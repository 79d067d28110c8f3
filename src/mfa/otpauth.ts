/**
 * The `otpauth://totp/` URI authenticator apps scan (Key Uri Format:
 * https://github.com/google/google-authenticator/wiki/Key-Uri-Format).
 * Cognito's TOTP is SHA-1, 6 digits, 30 s, which are the format's defaults.
 */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`;
}
