// Attribute verification codes as AWS sends them: to the attribute being
// verified (cognito-local sends every code to the phone number when the user
// has one, whatever changed), with the destination masked, and
// GetUserAttributeVerificationCode answering its CodeDeliveryDetails
// (cognito-local answers {}). Each message draws its code (codes.ts).
import { decodeJwt } from "jose";
import { type Answer, fail, type Json } from "./emulated";
import { maskDestination } from "./masks";
import type { Codes } from "./codes";
import type { ClientInfo } from "./secrets";
import type { Users } from "./users";

const MEDIUM: Record<string, string> = { email: "EMAIL", phone_number: "SMS" };

export class AttributeCodes {
  constructor(
    private readonly users: Users,
    private readonly codes: Codes,
    private readonly clients: Record<string, ClientInfo>,
  ) {}

  /** Corrects cognito-local's successful answer to UpdateUserAttributes or GetUserAttributeVerificationCode. */
  async after(op: string, input: Json, answer: Answer): Promise<Answer> {
    if (answer.status !== 200) return answer;
    if (op === "UpdateUserAttributes") {
      await this.unverifyChangedEmail(input);
      const changed = ((input.UserAttributes as { Name: string; Value?: string }[] | undefined) ?? []).filter((a) => MEDIUM[a.Name]);
      const sub = String(decodeJwt(String(input.AccessToken)).sub);
      const list = changed.map((a) => this.delivery(sub, a.Name, a.Value ?? ""));
      return { status: 200, body: { CodeDeliveryDetailsList: list } };
    }
    if (op === "GetUserAttributeVerificationCode") {
      const name = String(input.AttributeName);
      const claims = decodeJwt(String(input.AccessToken));
      const user = await this.users.find(this.clients[String(claims.client_id)]?.poolId, String(claims.username));
      const value = user?.attributes[name];
      if (!MEDIUM[name] || !value) return fail("InvalidParameterException", "The user has no such attribute to verify.");
      return { status: 200, body: { CodeDeliveryDetails: this.delivery(String(claims.sub), name, value) } };
    }
    return answer;
  }

  /** AWS: a changed email is unverified until its code is confirmed; cognito-local leaves it verified. */
  private async unverifyChangedEmail(input: Json): Promise<void> {
    const changed = (input.UserAttributes as Json[] | undefined)?.some((a) => a.Name === "email");
    if (!changed) return;
    const claims = decodeJwt(String(input.AccessToken));
    const poolId = this.clients[String(claims.client_id)]?.poolId;
    if (poolId) await this.users.set(poolId, String(claims.username), { email_verified: "false" });
  }

  private delivery(sub: string, attribute: string, destination: string): Json {
    this.codes.issue(sub, `attribute:${attribute}`, destination);
    const medium = MEDIUM[attribute];
    return { AttributeName: attribute, DeliveryMedium: medium, Destination: maskDestination(medium, destination) };
  }
}
