// GetTokensFromRefreshToken, which cognito-local lacks, answered as the AWS API
// reference describes it: new ID and access tokens from a valid refresh token;
// when the app client rotates refresh tokens (RefreshTokenRotationType), also
// a new refresh token, and the presented one stops working after the client's
// RetryGracePeriodSeconds (Sessions refuses it then, as an invalid token). The
// refusals every refresh shares (revoked, another client's, rotated out) are
// Sessions.refreshRefusal's, checked first (refusal()).
import { type Answer, fail, type Json } from "./emulated";
import { rotatedRefreshToken } from "./reissue";
import type { ClientInfo } from "./secrets";
import type { Sessions } from "./sessions";

type Forward = (op: string, input: Json) => Promise<Answer>;

/** The refresh token an InitiateAuth REFRESH_TOKEN_AUTH, a GetTokensFromRefreshToken or a RevokeToken presents. */
function refreshTokenOf(op: string, input: Json): unknown {
  if (op === "GetTokensFromRefreshToken") return input.RefreshToken;
  if (op === "RevokeToken") return input.Token;
  return op === "InitiateAuth" && input.AuthFlow === "REFRESH_TOKEN_AUTH" ? (input.AuthParameters as Json | undefined)?.REFRESH_TOKEN : undefined;
}

export class Rotation {
  constructor(
    private readonly forward: Forward,
    private readonly clients: Record<string, ClientInfo>,
    private readonly sessions: Sessions,
  ) {}

  /** Cognito's refusal of the refresh token `op` presents (revoked, another client's, rotated out), or undefined. */
  refusal(op: string, input: Json): Answer | undefined {
    const refreshToken = refreshTokenOf(op, input);
    // AWS: "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled."
    if (op === "InitiateAuth" && refreshToken !== undefined && this.clients[String(input.ClientId)]?.rotation) {
      return fail("InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client");
    }
    if (typeof refreshToken !== "string") return undefined;
    const refused = this.sessions.refreshRefusal(op, refreshToken, String(input.ClientId ?? ""));
    return refused && fail(refused.type, refused.message);
  }

  /** The answer for GetTokensFromRefreshToken, or undefined for any other operation. */
  async handle(op: string, input: Json): Promise<Answer | undefined> {
    if (op !== "GetTokensFromRefreshToken") return undefined;
    const clientId = String(input.ClientId);
    const client = this.clients[clientId];
    if (!client) return fail("ResourceNotFoundException", "User pool client does not exist.");
    const presented = String(input.RefreshToken);
    const upstream = this.sessions.upstreamOf(presented);
    if (!upstream) return fail("NotAuthorizedException", "Invalid Refresh Token");
    // cognito-local mints the tokens (it checks no SECRET_HASH); the Worker never sends this flow to a rotating client.
    const answer = await this.forward("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: upstream },
    });
    const result = (answer.body as Json).AuthenticationResult as Json | undefined;
    if (answer.status !== 200 || !result) return answer;
    const minted = client.rotation ? await rotatedRefreshToken(presented) : undefined;
    const issued = await this.sessions.issued({ ...result, RefreshToken: minted }, clientId, presented);
    if (minted) this.sessions.rotated(presented, minted, client.rotation?.graceSeconds ?? 0);
    return { status: 200, body: { AuthenticationResult: issued } };
  }
}
