import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type { AuthFactors, CodeSent, Profile, UpdatedProfile } from "../answers";
import { getUserAuthFactors } from "../cognito/passkey-ops";
import { getUser, getUserAttributeVerificationCode, updateUserAttributes, verifyUserAttribute } from "../cognito/user-ops";
import { toDelivery } from "../cognito/schemas";
import { AuthError } from "../errors";
import { countRequest, guardUserGuess } from "../limits/enforce";
import { limitPerUser } from "../middleware/limits";
import { jsonBody } from "../middleware/json-body";
import { noStore } from "../middleware/no-store";
import { requireAuth } from "../middleware/require-auth";
import { assertRecentSignIn, requireRecentSignIn } from "../middleware/step-up";
import { assertWritable, toProfile } from "../profile";
import { AttributeCodeBody, UpdateMeBody, VerifyAttributeBody } from "../schemas";
import { deleteAccount } from "../session/end";
import type { AppEnv } from "../types";
import { toAuthFactors } from "./factors";

/** Attributes whose change could hand the account to someone else (recovery goes to them): step-up required. */
const RECOVERY_ATTRIBUTES = ["email", "phone_number"];

/** GET /auth/me's body, read from Cognito (which also refuses revoked tokens). */
async function profile(c: Context<AppEnv>): Promise<Profile> {
  return toProfile(await getUser(c.var.cognito, c.var.auth.token), c.var.auth.claims);
}

/** Built by createApp on the first request, not at module load (startup CPU). */
export const meRoutes = () =>
  new Hono<AppEnv>()
  .use(requireAuth(), noStore())
  .get("/", limitPerUser(), async (c) => c.json(await profile(c), 200))
  .get("/factors", limitPerUser(), async (c) => c.json(toAuthFactors(await getUserAuthFactors(c.var.cognito, c.var.auth.token)) satisfies AuthFactors, 200))
  .patch("/", jsonBody(UpdateMeBody), limitPerUser(), async (c) => {
    const { attributes } = c.req.valid("json");
    assertWritable(c.var.config, attributes);
    if (RECOVERY_ATTRIBUTES.some((name) => name in attributes)) {
      assertRecentSignIn(c);
      // Cognito sends a code to the new address or number, whoever owns it: counted like attribute-code's, or it floods them.
      const to = [attributes.email, attributes.phone_number].flatMap((value) => (typeof value === "string" ? [value] : []));
      await countRequest(c, "attribute-code", { account: `sub:${c.var.auth.claims.sub}`, to, sms: attributes.phone_number !== undefined });
    }
    const out = await updateUserAttributes(c.var.cognito, c.var.auth.token, attributes);
    const delivery = toDelivery(out.CodeDeliveryDetailsList?.[0]);
    return c.json({ ...(await profile(c)), delivery } satisfies UpdatedProfile, 200);
  })
  .post("/verify-attribute", jsonBody(VerifyAttributeBody), limitPerUser(), async (c) => {
    const { attribute, code } = c.req.valid("json");
    await guardUserGuess(c, "verify-attribute", () => verifyUserAttribute(c.var.cognito, c.var.auth.token, attribute, code));
    return c.body(null, 204);
  })
  .post("/attribute-code", jsonBody(AttributeCodeBody), limitPerUser(), async (c) => {
    // A new code for an email address or phone number awaiting proof: it sends a message, so every request counts.
    const { attribute } = c.req.valid("json");
    // The number was checked against SMS_COUNTRY_CODES when it was set; the message still counts worldwide.
    await countRequest(c, "attribute-code", { account: `sub:${c.var.auth.claims.sub}`, to: [], sms: attribute === "phone_number" });
    const out = await getUserAttributeVerificationCode(c.var.cognito, c.var.auth.token, attribute);
    const delivery = toDelivery(out.CodeDeliveryDetails);
    if (!delivery) throw new AuthError("upstream_unavailable", { cause: { reason: "no code delivery" } });
    return c.json({ delivery } satisfies CodeSent, 200);
  })
  .delete("/", requireRecentSignIn(), limitPerUser(), async (c) => {
    await deleteAccount(c, c.var.auth);
    return c.body(null, 204);
  });
