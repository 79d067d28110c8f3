// Challenge bookkeeping cognito-local lacks: it never checks the Session of
// RespondToAuthChallenge, and it answers NEW_PASSWORD_REQUIRED even for a
// wrong temporary password. USERNAME may name the session's user by any of
// its names, not only the one the sign-in started with: AWS takes "the
// username or an alias" (RespondToAuthChallenge, ChallengeResponses).

interface ChallengeSession {
  username: string;
  challenge: string;
  issuedAt: number;
}

/** AWS's default lifetime of a challenge session. */
const SESSION_TTL_MS = 3 * 60_000;

export class Challenges {
  private readonly sessions = new Map<string, ChallengeSession>();
  private readonly temporaryPasswords = new Map<string, string>();

  constructor(private readonly defaultTemporaryPassword: string) {}

  /** Records a challenge Cognito issued to `username`. */
  issued(session: string, username: string, challenge: string): void {
    this.sessions.set(session, { username: username.toLowerCase(), challenge, issuedAt: Date.now() });
  }

  /**
   * Cognito's refusal of a RespondToAuthChallenge, or undefined when the session is good;
   * `sameUser` tells whether two names are one user's (the username, email or phone number).
   */
  async check(
    session: unknown,
    username: unknown,
    challenge: unknown,
    sameUser: (a: string, b: string) => Promise<boolean>,
  ): Promise<string | undefined> {
    const record = typeof session === "string" ? this.sessions.get(session) : undefined;
    if (!record || Date.now() - record.issuedAt > SESSION_TTL_MS) return "Invalid session for the user, session is expired.";
    if (record.challenge !== challenge) return "Invalid session for the user.";
    const named = String(username).toLowerCase();
    if (record.username !== named && !(await sameUser(record.username, named))) return "Invalid session for the user.";
    return undefined;
  }

  /** A session is spent once the challenge is answered. */
  spend(session: unknown): void {
    if (typeof session === "string") this.sessions.delete(session);
  }

  /** AdminCreateUser: remembers the temporary password (cognito-local's CODE when none is given). */
  created(username: string, temporaryPassword: unknown): void {
    const password = typeof temporaryPassword === "string" ? temporaryPassword : this.defaultTemporaryPassword;
    this.temporaryPasswords.set(username.toLowerCase(), password);
  }

  /** True when a NEW_PASSWORD_REQUIRED login used the wrong temporary password. */
  wrongTemporaryPassword(username: unknown, password: unknown): boolean {
    const expected = this.temporaryPasswords.get(String(username).toLowerCase());
    return expected !== undefined && expected !== password;
  }
}
