import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { verifierFor } from "../verifier-options";
import { timingSafeEqual } from "../crypto";
import { AuthError } from "../errors";
import { validate } from "../middleware/validate";
import { limitPerIp } from "../middleware/limits";
import { randomToken, s256 } from "../oauth/pkce";
import { openState, sealState, STATE_COOKIE, STATE_MAX_AGE_S } from "../oauth/state-cookie";
import { exchangeCode } from "../oauth/token-endpoint";
import { keysOf } from "../seal/context";
import { readCookie, writeCookie } from "../session/cookies";
import { issueRedirectSignIn } from "../session/issue";
import type { AppEnv } from "../types";

/** Cognito's identity_provider values for the hosted UI. */
const PROVIDERS = ["Google", "Facebook", "SignInWithApple", "LoginWithAmazon", "COGNITO"] as const;
/** GetUser (for /auth/me) needs aws.cognito.signin.user.admin; the app client must allow these scopes. */
const SCOPES = "openid email profile aws.cognito.signin.user.admin";

export const AuthorizeQuery = z.lazy(() => z.strictObject({
  provider: z.optional(z.enum(PROVIDERS)),
  returnTo: z.optional(z.string().check(z.maxLength(2048))),
}));
export const CallbackQuery = z.lazy(() => z.object({
  code: z.optional(z.string().check(z.regex(/^[\w.~-]{1,512}$/))),
  state: z.optional(z.string().check(z.maxLength(512))),
  error: z.optional(z.string().check(z.maxLength(256))),
}));

/** Without the OAuth variables the routes do not exist; with bad ones (logged at start) they are 503. */
const enabled = () =>
  createMiddleware<AppEnv>(async function oauthEnabled(c, next) {
    const { oauth, disabled } = c.var.config;
    if (!oauth && disabled.oauth) {
      throw new AuthError("upstream_unavailable", "Sign-in with the hosted UI is not configured.", { headers: { "Retry-After": "3600" } });
    }
    if (!oauth) throw new AuthError("not_found");
    await next();
  });

/** `returnTo` must be an absolute http(s) URL on an allowed origin: no open redirect. */
function checkedReturnTo(c: Context<AppEnv>, returnTo: string | undefined): string {
  const origins = c.var.config.oauth?.returnOrigins ?? [];
  const refuse = () =>
    new AuthError("validation_failed", { errors: [{ path: "returnTo", message: "is not an allowed origin" }] });
  if (returnTo === undefined) {
    if (!origins[0]) throw refuse();
    return `${origins[0]}/`;
  }
  let url: URL;
  try {
    url = new URL(returnTo);
  } catch {
    throw refuse();
  }
  if (!origins.includes(url.origin)) throw refuse();
  return url.href;
}

function redirect(c: Context<AppEnv>, location: string): Response {
  c.header("Cache-Control", "no-store");
  return c.redirect(location, 302);
}

const expiredSignIn = () => new AuthError("invalid_session", "The sign-in has expired or did not start here; sign in again.");

/** Built by createApp on the first request, not at module load (startup CPU). */
export const oauthRoutes = () =>
  new Hono<AppEnv>()
  .use(enabled())
  .get("/authorize", validate("query", AuthorizeQuery), async (c) => {
    const { provider, returnTo } = c.req.valid("query");
    const oauth = c.var.config.oauth;
    if (!oauth) throw expiredSignIn();
    const state = randomToken();
    const verifier = randomToken();
    const exp = Math.floor(Date.now() / 1000) + STATE_MAX_AGE_S;
    const sealed = await sealState(keysOf(c.var.config), { state, verifier, returnTo: checkedReturnTo(c, returnTo), exp });
    // Lax, not Strict: the cookie must come back on the cross-site redirect from the hosted UI.
    writeCookie(c, STATE_COOKIE, sealed, { sameSite: "Lax", maxAge: STATE_MAX_AGE_S });
    const url = new URL(`${oauth.domain}/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: c.var.config.clientId,
      redirect_uri: oauth.redirectUri,
      scope: SCOPES,
      state,
      code_challenge: await s256(verifier),
      code_challenge_method: "S256",
      ...(provider ? { identity_provider: provider } : {}),
    }).toString();
    return redirect(c, url.href);
  })
  .get("/callback", validate("query", CallbackQuery), limitPerIp("oauth-callback"), async (c) => {
    const oauth = c.var.config.oauth;
    if (!oauth) throw expiredSignIn();
    // Single use: whatever happens next, the state cookie is gone.
    writeCookie(c, STATE_COOKIE, "", { sameSite: "Lax", maxAge: 0 });
    const { code, state, error } = c.req.valid("query");
    const saved = await openState(keysOf(c.var.config), readCookie(c, STATE_COOKIE));
    if (!saved || !state || !timingSafeEqual(state, saved.state)) throw expiredSignIn();
    if (error) throw new AuthError("forbidden", "The identity provider did not sign the user in.");
    if (!code) throw new AuthError("validation_failed", { errors: [{ path: "code", message: "is required" }] });
    const tokens = await exchangeCode(c.var.config, code, saved.verifier);
    const claims = await verifierFor(c.env).verify(tokens.access_token);
    await issueRedirectSignIn(c, claims.raw, { AccessToken: tokens.access_token, IdToken: tokens.id_token, RefreshToken: tokens.refresh_token });
    return redirect(c, saved.returnTo);
  });
