// Admin changes act with the Worker's IAM credentials, so no Cognito check of
// the caller's token stands behind them: only the Worker's step-up does.
import { describe, expect, it } from "vitest";
import { now, testIssuer } from "../support/tokens";
import { adminUser, expectProblem, newEmail, refresh, registeredUser, send, signedInUser, taggedCognito, type Tokens, untilSignInOlderThan } from "../support/worker";

const ADMIN_GROUP = "admin";

interface AdminUserView {
  groups?: string[];
  enabled: boolean;
}

/** Every state-changing admin route, for a target user `path` (/admin/users/<email>). */
const changes = (path: string) => [
  { path: "/admin/users", method: "POST", json: { email: newEmail("invited") } },
  { path: `${path}/disable`, method: "POST" },
  { path: `${path}/enable`, method: "POST" },
  { path: `${path}/sign-out`, method: "POST" },
  { path, method: "DELETE" },
  { path: `${path}/groups/${ADMIN_GROUP}`, method: "PUT" },
  { path: `${path}/groups/${ADMIN_GROUP}`, method: "DELETE" },
];

async function expectStepUp(res: Response, maxAge: number) {
  await expectProblem(res, 401, "reauthentication_required");
  expect(res.headers.get("WWW-Authenticate")).toBe(`Bearer realm="cognito-edge", error="insufficient_user_authentication", max_age=${maxAge}`);
}

describe("admin changes need a recent sign-in (REAUTH_MAX_AGE_S)", () => {
  it("refuses every change to an admin whose sign-in is older than the window, before Cognito is asked; reads still work", async () => {
    const issuer = await testIssuer();
    const tagged = taggedCognito();
    const env = { ...issuer.env, ...tagged.env, REAUTH_MAX_AGE_S: "300" };
    const admin = { "cognito:groups": [ADMIN_GROUP] };
    const stale = await issuer.sign({ ...admin, auth_time: now() - 301 });
    const noAuthTime = await issuer.sign(admin);
    const { email } = await registeredUser();
    const path = `/admin/users/${encodeURIComponent(email)}`;
    for (const token of [stale, noAuthTime]) {
      for (const change of changes(path)) await expectStepUp(await send(change.path, { ...change, token, env }), 300);
    }
    // No change reached Cognito; the reads did.
    const user = await send(path, { token: stale, env });
    expect(user.status).toBe(200);
    expect((await user.json()) as AdminUserView).toMatchObject({ groups: [], enabled: true });
    expect((await send("/admin/users?limit=1", { token: stale, env })).status).toBe(200);
    expect(new Set(await tagged.calls())).toEqual(new Set(["AdminGetUser", "AdminListGroupsForUser", "ListUsers"]));
    // A sign-in within the window makes the change.
    const fresh = await issuer.sign({ ...admin, auth_time: now() - 5 });
    expect((await send(`${path}/groups/${ADMIN_GROUP}`, { method: "PUT", token: fresh, env })).status).toBe(204);
  });

  it("stops a stolen admin refresh token: its refreshed access token cannot put the attacker in the admin group", async () => {
    const OLD = { REAUTH_MAX_AGE_S: "1" };
    const victim = await adminUser();
    const attacker = await signedInUser();
    await untilSignInOlderThan(victim.tokens.accessToken, 1);
    // The attacker refreshes with the stolen token: a new access token of the old sign-in (auth_time kept).
    const res = await refresh(victim.tokens.refreshToken, { env: OLD });
    expect(res.status).toBe(200);
    const { accessToken } = (await res.json()) as Tokens;
    const path = `/admin/users/${encodeURIComponent(attacker.email)}`;
    await expectStepUp(await send(`${path}/groups/${ADMIN_GROUP}`, { method: "PUT", token: accessToken, env: OLD }), 1);
    await expectStepUp(await send("/admin/users", { token: accessToken, json: { email: newEmail("planted") }, env: OLD }), 1);
    const view = await send(path, { token: accessToken, env: OLD });
    expect(((await view.json()) as AdminUserView).groups).toEqual([]);
  });
});
