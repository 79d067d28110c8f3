import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type { Profile, UpdatedProfile } from "../answers";
import { getUser, updateUserAttributes, verifyUserAttribute } from "../cognito/user-ops";
import { toDelivery } from "../cognito/schemas";
import { assertWritable } from "../attributes";
import { guardUserGuess } from "../limits/enforce";
import { readJson, validate } from "../middleware/json-body";
import { noStore } from "../middleware/no-store";
import { requireAuth } from "../middleware/require-auth";
import { assertRecentSignIn, requireRecentSignIn } from "../middleware/step-up";
import { UpdateMeBody, VerifyAttributeBody } from "../schemas";
import { deleteAccount } from "../session/end";
import type { AppEnv } from "../types";

/** Attributes whose change could hand the account to someone else (recovery goes to them): step-up required. */
const RECOVERY_ATTRIBUTES = ["email", "phone_number"];

/** Attributes surfaced as top-level fields of the profile. */
const TOP_LEVEL = new Set(["sub", "email", "email_verified", "name"]);

/** GET /auth/me's body, read from Cognito (which also refuses revoked tokens). */
async function profile(c: Context<AppEnv>): Promise<Profile> {
  const user = await getUser(c.var.cognito, c.var.auth.token);
  const all = Object.fromEntries(user.UserAttributes.map((a) => [a.Name, a.Value ?? ""]));
  const attributes = Object.fromEntries(Object.entries(all).filter(([name]) => !TOP_LEVEL.has(name)));
  return {
    sub: all.sub ?? c.var.auth.claims.sub,
    username: user.Username,
    email: all.email ?? "",
    emailVerified: all.email_verified === "true",
    name: all.name,
    groups: c.var.auth.claims.groups,
    attributes,
  };
}

/** Built by createApp on the first request, not at module load (startup CPU). */
export const meRoutes = () =>
  new Hono<AppEnv>()
  .use(requireAuth(), noStore())
  .get("/", async (c) => c.json(await profile(c), 200))
  .patch("/", readJson(), validate("json", UpdateMeBody), async (c) => {
    const { attributes } = c.req.valid("json");
    assertWritable(c.var.config, attributes);
    if (RECOVERY_ATTRIBUTES.some((name) => name in attributes)) assertRecentSignIn(c);
    const out = await updateUserAttributes(c.var.cognito, c.var.auth.token, attributes);
    const delivery = toDelivery(out.CodeDeliveryDetailsList?.[0]);
    return c.json({ ...(await profile(c)), delivery } satisfies UpdatedProfile, 200);
  })
  .post("/verify-attribute", readJson(), validate("json", VerifyAttributeBody), async (c) => {
    const { attribute, code } = c.req.valid("json");
    await guardUserGuess(c, "verify-attribute", () => verifyUserAttribute(c.var.cognito, c.var.auth.token, attribute, code));
    return c.body(null, 204);
  })
  .delete("/", requireRecentSignIn(), async (c) => {
    await deleteAccount(c, c.var.auth);
    return c.body(null, 204);
  });
