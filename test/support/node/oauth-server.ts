// A stand-in for Cognito's hosted UI and token endpoint: /oauth2/authorize
// signs a fixed test user in at once and redirects with a code; /oauth2/token
// checks the client credentials, the redirect URI and the PKCE verifier exactly
// as Cognito does, and answers tokens signed by a key in its JWKS.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { close, listen } from "./http";

type Key = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  sub: string;
}

export interface OAuthServerOptions {
  /** client id -> secret (undefined for a public client) */
  clients: Record<string, string | undefined>;
  redirectUri: string;
}

const base64url = (b: Buffer) => b.toString("base64url");

export class OAuthServer {
  private readonly codes = new Map<string, Grant>();
  private server?: Server;
  private key?: { privateKey: Key; jwk: JWK };
  base = "";

  constructor(private readonly options: OAuthServerOptions) {}

  get issuer(): string {
    return `${this.base}/oauth-pool`;
  }

  async listen(port: number): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    this.key = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: "oauth-test", alg: "RS256", use: "sig" } };
    this.base = `http://127.0.0.1:${port}`;
    this.server = createServer((req, res) => void this.serve(req, res));
    await listen(this.server, port);
  }

  close(): Promise<void> {
    return close(this.server);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.base);
    let body = "";
    for await (const chunk of req) body += chunk;
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === "/oauth-pool/.well-known/jwks.json") return json(200, { keys: [this.key?.jwk] });
    if (url.pathname === "/oauth2/authorize") return this.authorize(url, res, json);
    if (url.pathname === "/oauth2/token" && req.method === "POST") return json(...(await this.token(req, body)));
    json(404, {});
  }

  private authorize(url: URL, res: ServerResponse, json: (s: number, v: unknown) => void): void {
    const q = url.searchParams;
    const clientId = q.get("client_id") ?? "";
    if (q.get("response_type") !== "code" || !(clientId in this.options.clients)) return json(400, { error: "invalid_request" });
    if (q.get("redirect_uri") !== this.options.redirectUri) return json(400, { error: "redirect_mismatch" });
    if (q.get("code_challenge_method") !== "S256" || !/^[\w-]{43}$/.test(q.get("code_challenge") ?? "")) {
      return json(400, { error: "invalid_request" });
    }
    const code = base64url(randomBytes(24));
    this.codes.set(code, { clientId, redirectUri: this.options.redirectUri, challenge: q.get("code_challenge") ?? "", sub: "oauth-user-1" });
    const target = new URL(this.options.redirectUri);
    target.searchParams.set("code", code);
    target.searchParams.set("state", q.get("state") ?? "");
    res.writeHead(302, { Location: target.href });
    res.end();
  }

  private async token(req: IncomingMessage, body: string): Promise<[number, unknown]> {
    const form = new URLSearchParams(body);
    const clientId = form.get("client_id") ?? "";
    if (!(clientId in this.options.clients)) return [400, { error: "invalid_client" }];
    const secret = this.options.clients[clientId];
    if (secret !== undefined) {
      const expected = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
      if (req.headers.authorization !== expected) return [401, { error: "invalid_client" }];
    } else if (req.headers.authorization) {
      return [401, { error: "invalid_client" }];
    }
    if (form.get("grant_type") !== "authorization_code") return [400, { error: "unsupported_grant_type" }];
    const code = form.get("code") ?? "";
    const grant = this.codes.get(code);
    // A code is single-use: a replay finds nothing.
    this.codes.delete(code);
    if (!grant || grant.clientId !== clientId || form.get("redirect_uri") !== grant.redirectUri) return [400, { error: "invalid_grant" }];
    const verifier = form.get("code_verifier") ?? "";
    if (base64url(createHash("sha256").update(verifier).digest()) !== grant.challenge) return [400, { error: "invalid_grant" }];
    const now = Math.floor(Date.now() / 1000);
    const access = await new SignJWT({
      sub: grant.sub,
      username: `google_${grant.sub}`,
      client_id: clientId,
      token_use: "access",
      scope: "openid email profile aws.cognito.signin.user.admin",
      jti: base64url(randomBytes(16)),
      origin_jti: base64url(randomBytes(16)),
    })
      .setProtectedHeader({ alg: "RS256", kid: "oauth-test" })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(this.key?.privateKey as Key);
    return [200, { access_token: access, id_token: access, refresh_token: `refresh-${base64url(randomBytes(32))}`, expires_in: 3600, token_type: "Bearer" }];
  }
}
