// cognito-local's challenge sessions (NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA,
// SMS_MFA, ...) look nothing like Cognito's. Each one it answers leaves the
// stand-in as a session of Cognito's shape (cognito-session.ts), and comes
// back to cognito-local as its own, so that what the Worker sees is what AWS
// would hand it while cognito-local keeps working with its own.
import { cognitoSession } from "./cognito-session";
import type { Answer, Json } from "./emulated";

/** Enough for the sessions of a whole run; the oldest go first. */
const MAX_ENTRIES = 50_000;

export class UpstreamSessions {
  /** Cognito-shaped session -> cognito-local's. */
  private readonly local = new Map<string, string>();

  /** `answer` with its Session, if it has one, replaced by a Cognito-shaped session for the user `input` names. */
  outbound(input: Json, answer: Answer): Answer {
    const body = answer.body;
    if (typeof body === "string" || typeof body.Session !== "string") return answer;
    const params = (input.AuthParameters ?? input.ChallengeResponses) as Json | undefined;
    const shaped = cognitoSession(String(params?.USERNAME ?? input.Username ?? ""));
    this.local.set(shaped, body.Session);
    if (this.local.size > MAX_ENTRIES) this.local.delete(this.local.keys().next().value ?? "");
    return { ...answer, body: { ...body, Session: shaped } };
  }

  /** `input` with a session handed out by outbound() given back as cognito-local's own. */
  inbound(input: Json): Json {
    const local = typeof input.Session === "string" ? this.local.get(input.Session) : undefined;
    return local === undefined ? input : { ...input, Session: local };
  }
}
