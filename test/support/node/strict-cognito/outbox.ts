// The codes the stand-in "sends" by email or SMS (sign-up confirmation,
// attribute verification, EMAIL_OTP and SMS_OTP sign-in), kept for the tests
// (GET /__codes?to=<email or phone>) instead of being delivered or printed.

export class Outbox {
  private readonly last = new Map<string, string>();

  /** Records that `code` went to `destination` (a full email address or phone number). */
  sent(destination: string, code: string): void {
    this.last.set(destination.toLowerCase(), code);
  }

  /** The last code sent to `destination`, if any. */
  lastTo(destination: string): string | undefined {
    return this.last.get(destination.toLowerCase());
  }
}
