import { Hono } from "hono/tiny";
import type { TotpSetup } from "../answers";
import { associateSoftwareToken, otpauthUri, setTotpPreference, verifySoftwareToken } from "../cognito/mfa-ops";
import { getUser } from "../cognito/user-ops";
import { AuthError } from "../errors";
import { guardUserGuess } from "../limits/enforce";
import { limitPerUser } from "../middleware/limits";
import { jsonBody } from "../middleware/json-body";
import { requireAuth } from "../middleware/require-auth";
import { requireRecentSignIn } from "../middleware/step-up";
import { TotpVerifyBody } from "../schemas";
import type { AppEnv } from "../types";

/** Built by createApp on the first request, not at module load (startup CPU). */
export const mfaRoutes = () =>
  new Hono<AppEnv>()
  .use(requireAuth())
  // Adding or removing a sign-in factor needs a recent sign-in (RFC 9470).
  .post("/totp/setup", requireRecentSignIn(), limitPerUser(), async (c) => {
    const { token } = c.var.auth;
    const [{ SecretCode }, user] = await Promise.all([
      associateSoftwareToken(c.var.cognito, { AccessToken: token }),
      getUser(c.var.cognito, token),
    ]);
    const email = user.attributes.email || user.username;
    c.header("Cache-Control", "no-store");
    return c.json({ secret: SecretCode, otpauthUri: otpauthUri(c.var.config.totpIssuer, email, SecretCode) } satisfies TotpSetup, 200);
  })
  .post("/totp/verify", jsonBody(TotpVerifyBody), limitPerUser(), async (c) => {
    const { code, deviceName } = c.req.valid("json");
    const { token } = c.var.auth;
    await guardUserGuess(c, "totp-verify", async () => {
      const out = await verifySoftwareToken(c.var.cognito, { AccessToken: token }, code, deviceName);
      if (out.Status !== undefined && out.Status !== "SUCCESS") throw new AuthError("code_mismatch");
    });
    await setTotpPreference(c.var.cognito, token, true);
    return c.body(null, 204);
  })
  .delete("/totp", requireRecentSignIn(), limitPerUser(), async (c) => {
    await setTotpPreference(c.var.cognito, c.var.auth.token, false);
    return c.body(null, 204);
  });
