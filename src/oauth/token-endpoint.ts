import * as z from "zod/mini";
import type { Config } from "../config";
import { AuthError, type ErrorCause } from "../errors";
import { log } from "../log";

const TokenResponse = z.lazy(() => z.object({
  access_token: z.string(),
  id_token: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.number()),
}));
type TokenResponse = z.infer<typeof TokenResponse>;

const unavailable = (cause: ErrorCause) => new AuthError("upstream_unavailable", { cause });

/**
 * Exchanges an authorization code at `<COGNITO_DOMAIN>/oauth2/token` with the
 * PKCE verifier (RFC 7636 §4.5); a confidential client authenticates with HTTP
 * Basic (RFC 6749 §2.3.1), as Cognito's token endpoint expects.
 */
/** The token endpoint's error codes (RFC 6749, section 5.2). */
const OAUTH_ERRORS = ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"];

export async function exchangeCode(config: Config, code: string, verifier: string): Promise<TokenResponse> {
  const oauth = config.oauth;
  if (!oauth) throw new AuthError("not_found");
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: config.clientId,
    code,
    redirect_uri: oauth.redirectUri,
    code_verifier: verifier,
  });
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
  if (config.clientSecret) {
    const credentials = `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`;
    headers.Authorization = `Basic ${btoa(credentials)}`;
  }
  let res: Response;
  try {
    res = await fetch(`${oauth.domain}/oauth2/token`, {
      method: "POST",
      headers,
      body: form,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    throw unavailable({ reason: err instanceof Error ? err.name : "network" });
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status >= 500) throw unavailable({ reason: "token endpoint failed", status: res.status });
  if (!res.ok) {
    const said = typeof body === "object" && body !== null && "error" in body ? body.error : undefined;
    // Only RFC 6749's codes reach the log, never the upstream's own text.
    const error = OAUTH_ERRORS.find((code) => code === said) ?? "other";
    if (error === "invalid_grant") {
      throw new AuthError("code_mismatch", "The sign-in code is invalid, expired or already used; sign in again.");
    }
    // invalid_client, unauthorized_client, invalid_request: our configuration, not the user.
    log("error", "oauth_token_refused", { status: res.status, error });
    throw new AuthError("internal_error");
  }
  const parsed = TokenResponse.safeParse(body);
  if (!parsed.success) throw unavailable({ reason: "response shape" });
  return parsed.data;
}
