// Every password and secret marker the suites send, in one place: the tests
// import them from here, and the log-secrecy check (node/log-secrecy.ts) scans
// the whole run's console output for each of them. A password written as a
// literal in a test escapes that check; add it here instead. Weak passwords are
// distinctive too: "weak" or "password" would match the log's own words.

/** The password of the users the helpers register. */
export const PASSWORD = "Passw0rd!";
/** A second valid password (change-password, reset-password, NEW_PASSWORD_REQUIRED). */
export const NEW_PASSWORD = "N3w-Passw0rd!";
/** A well-formed password that is not the user's. */
export const WRONG_PASSWORD = "Wrong-Passw0rd!";
/** A wrong current password at change-password. */
export const NOT_THE_PASSWORD = "Not-The-Passw0rd";
/** The temporary password of a user an admin creates, and a wrong one. */
export const TEMP_PASSWORD = "Temp-Passw0rd!";
export const NOT_THE_TEMP_PASSWORD = "Not-The-Temp-1!";
/** Passwords the pool's policy refuses (no upper case and symbol; too short). */
export const WEAK_PASSWORD = "weakpassw0rd";
export const SHORT_PASSWORD = "Sh0rt!";
/** bad-input.test.ts: a password no answer may echo. */
export const ECHO_SECRET = "S3cret-Passw0rd!-do-not-echo";
/** fuzz.test.ts: the secret fields of generated bodies carry these; no answer may contain them. */
export const FUZZ_PASSWORD = "Fz-Secret-9!";
export const FUZZ_CODE = "FzCode-7Q";
export const FUZZ_REFRESH = "ce1.RnotaXM.Fz-Refresh-Marker";
/** The user the hosted-UI stand-in signs in. */
export const OAUTH_USER_PASSWORD = "0auth-Us3r-Passw0rd!";
/** features.test.ts: an OAUTH_STATE_SECRET of earlier versions, still set: ignored, and never logged. */
export const OLD_STATE_SECRET = "an-old-state-secret-never-logged-0";
/** admin.test.ts: an AWS secret key that is not the right one. */
export const WRONG_AWS_SECRET = "not-the-aws-secret-key";

/** Every secret above: none of them may ever be logged. */
export const TEST_SECRETS = [
  PASSWORD,
  NEW_PASSWORD,
  WRONG_PASSWORD,
  NOT_THE_PASSWORD,
  TEMP_PASSWORD,
  NOT_THE_TEMP_PASSWORD,
  WEAK_PASSWORD,
  SHORT_PASSWORD,
  ECHO_SECRET,
  FUZZ_PASSWORD,
  FUZZ_CODE,
  FUZZ_REFRESH,
  OAUTH_USER_PASSWORD,
  OLD_STATE_SECRET,
  WRONG_AWS_SECRET,
];
