// The browser session of the gateway benchmark's session target, sealed by the
// Worker's own code (src/session/browser-cookie.ts, src/session/refresh-token.ts)
// so that the benchmark needs no test-only path in the Worker. bench/gateway.mjs
// bundles this file with esbuild and runs it in Node; the Worker it benchmarks
// has the same EDGE_SECRET and COGNITO_CLIENT_ID, so its cookies open there.
import type { Config } from "../src/config";
import { parseSecrets } from "../src/seal/secrets-config";
import { sealBrowserSession, sessionSetCookie } from "../src/session/browser-cookie";
import { REFRESH_COOKIE } from "../src/session/refresh-cookie";
import { newSid, wrapRefreshToken } from "../src/session/refresh-token";

export interface BenchSession {
  /** The `Cookie` header a browser of this session sends: the session cookie and the refresh cookie. */
  cookie: string;
  /** Bytes of the Set-Cookie of the session cookie, as a sign-in would answer it. */
  setCookieBytes: number;
}

/**
 * A session holding `accessToken` (signed by the benchmark's JWKS host), as a
 * sign-in of `sub` would seal it, last confirmed by Cognito `checkedAgoS`
 * seconds ago. Its refresh cookie holds a stand-in of the length of a Cognito
 * refresh token (about 1,800 characters): it is never sent to Cognito while
 * the access token has more than two minutes left.
 */
export async function benchSession(secret: string, clientId: string, accessToken: string, sub: string, checkedAgoS = 0): Promise<BenchSession> {
  const keys = parseSecrets({ EDGE_SECRET: secret }).keys;
  if (!keys) throw new Error("EDGE_SECRET must be at least 32 bytes");
  // sealBrowserSession reads only these two of the configuration.
  const config = { keys, clientId } as Config;
  const now = Math.floor(Date.now() / 1000);
  const endsAt = now + 30 * 24 * 3600;
  const session = await sealBrowserSession(config, { accessToken, sub, email: "bench@example.com", authTime: now, endsAt, checkedAt: now - checkedAgoS });
  const refresh = await wrapRefreshToken(keys, clientId, sub, `bench.${"r".repeat(1800)}`, newSid());
  return {
    cookie: `__Host-edge-session=${session}; ${REFRESH_COOKIE}=${refresh}`,
    setCookieBytes: sessionSetCookie(session, endsAt - now).length,
  };
}
