// The pool's users as the stand-in's own operations need them: looked up by
// any name Cognito accepts for them (the username, or the email address or
// phone number when those are username attributes), through cognito-local.
import type { Answer, Json } from "./emulated";

export interface PoolUser {
  /** Cognito's username (the `sub` in pools where email or phone is the username). */
  username: string;
  enabled: boolean;
  status: string;
  attributes: Record<string, string>;
}

type Forward = (op: string, input: Json) => Promise<Answer>;

export class Users {
  constructor(private readonly forward: Forward) {}

  /** The user `name` identifies in `poolId`, or undefined. */
  async find(poolId: string | undefined, name: string): Promise<PoolUser | undefined> {
    if (!poolId) return undefined;
    const found = await this.forward("AdminGetUser", { UserPoolId: poolId, Username: name });
    if (found.status !== 200) return undefined;
    const body = found.body as Json;
    const list = (body.UserAttributes as { Name: string; Value?: string }[] | undefined) ?? [];
    return {
      username: String(body.Username),
      enabled: body.Enabled !== false,
      status: String(body.UserStatus),
      attributes: Object.fromEntries(list.map((a) => [a.Name, a.Value ?? ""])),
    };
  }

  /** True when `a` and `b` name one user of `poolId` (by its username, email or phone number). */
  async same(poolId: string | undefined, a: string, b: string): Promise<boolean> {
    const [first, second] = await Promise.all([this.find(poolId, a), this.find(poolId, b)]);
    return first !== undefined && first.username === second?.username;
  }

  /** The groups of `username`, for the tokens' cognito:groups. */
  async groups(poolId: string, username: string): Promise<string[]> {
    const found = await this.forward("AdminListGroupsForUser", { UserPoolId: poolId, Username: username });
    return (((found.body as Json).Groups as { GroupName: string }[] | undefined) ?? []).map((g) => g.GroupName);
  }

  /** Sets attributes on `username` (cognito-local, unchecked: the stand-in's own bookkeeping). */
  async set(poolId: string, username: string, attributes: Record<string, string>): Promise<void> {
    const list = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
    await this.forward("AdminUpdateUserAttributes", { UserPoolId: poolId, Username: username, UserAttributes: list });
  }
}
