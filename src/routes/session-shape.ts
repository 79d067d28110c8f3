// Sessions of the Worker's own (first-factor.ts), where Cognito refused a
// step and gave none, look like Cognito's, or their shape alone would tell an
// account that exists (an unconfirmed one, one without the chosen factor)
// from one that does not, which Cognito answers with a session of its own.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Never more of a real session than this is kept in a made one, so that none is ever handed out again. */
const MAX_PREFIX = 16;

/** Cognito's sessions as seen: the last one, and the prefix all of them shared (a constant header, if they have one). */
export class SessionShape {
  private last?: string;
  private prefix?: string;

  /** Notes a session Cognito issued. */
  learn(session: string): void {
    if (this.last !== undefined) {
      const before = this.prefix ?? this.last;
      let shared = 0;
      while (shared < MAX_PREFIX && shared < before.length && before[shared] === session[shared]) shared++;
      this.prefix = session.slice(0, shared);
    }
    this.last = session;
  }

  /**
   * A random session shaped like Cognito's last (before any, 64 characters of
   * base64): the prefix they all shared, the same length, the base64 or
   * base64url alphabet it uses and the same padding.
   */
  make(): string {
    const last = this.last ?? "A".repeat(64);
    const prefix = this.prefix ?? "";
    const body = last.replace(/=+$/, "");
    const alphabet = ALPHABET + (/[-_]/.test(body) ? "-_" : "+/");
    const random = crypto.getRandomValues(new Uint8Array(Math.max(body.length - prefix.length, 0)));
    return prefix + Array.from(random, (byte) => alphabet[byte & 63]).join("") + last.slice(body.length);
  }
}
