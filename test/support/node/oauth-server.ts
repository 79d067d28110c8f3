// A stand-in for Cognito's hosted UI and token endpoint: /oauth2/authorize
// signs a fixed test user in at once and redirects with a code; /oauth2/token
// checks the client credentials, the redirect URI and the PKCE verifier exactly
// as Cognito does, and answers that user's tokens from the user pool itself
// (a password sign-in at the Cognito endpoint), so its refresh token works at
// REFRESH_TOKEN_AUTH like one from the real hosted UI. The client_credentials
// grant answers machine clients an access token as Cognito's does (no
// username, `sub` the client id, scopes of a resource server), signed with
// the pool's (cognito-local's) key.
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { close, listen } from "./http";
import { signLikeCognitoLocal } from "./strict-cognito/reissue";

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
}

export interface OAuthServerOptions {
  /** client id -> secret (undefined for a public client) */
  clients: Record<string, string | undefined>;
  redirectUri: string;
  /** The pool's Cognito endpoint and the (confirmed) user every sign-in signs in. */
  user: { endpoint: string; username: string; password: string };
  /** App clients with the client_credentials grant: their secret, the scopes they may ask for, their pool's issuer. */
  machines?: Record<string, MachineClient>;
}

export interface MachineClient {
  secret: string;
  scopes: string[];
  issuer: string;
}

/** Cognito's default access-token validity. */
const MACHINE_TOKEN_TTL_S = 3600;

const base64url = (b: Buffer) => b.toString("base64url");

export class OAuthServer {
  private readonly codes = new Map<string, Grant>();
  private server?: Server;
  base = "";

  constructor(private readonly options: OAuthServerOptions) {}

  async listen(port: number): Promise<void> {
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
    this.codes.set(code, { clientId, redirectUri: this.options.redirectUri, challenge: q.get("code_challenge") ?? "" });
    const target = new URL(this.options.redirectUri);
    target.searchParams.set("code", code);
    target.searchParams.set("state", q.get("state") ?? "");
    res.writeHead(302, { Location: target.href });
    res.end();
  }

  private async token(req: IncomingMessage, body: string): Promise<[number, unknown]> {
    const form = new URLSearchParams(body);
    if (form.get("grant_type") === "client_credentials") return this.clientCredentials(req, form);
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
    const tokens = await this.signIn(clientId, secret);
    return tokens ? [200, tokens] : [500, { error: "server_error" }];
  }

  /**
   * The client_credentials grant as Cognito answers it: the client
   * authenticates with HTTP Basic; `scope` (space-separated) must be among
   * its allowed scopes and defaults to all of them; only an access token.
   */
  private async clientCredentials(req: IncomingMessage, form: URLSearchParams): Promise<[number, unknown]> {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
    const [id, secret] = basic ? Buffer.from(basic[1], "base64").toString().split(":").map(decodeURIComponent) : [];
    const machine = id === undefined ? undefined : this.options.machines?.[id];
    if (!machine || secret !== machine.secret) return [401, { error: "invalid_client" }];
    const asked = form.get("scope")?.split(" ").filter(Boolean) ?? machine.scopes;
    if (asked.some((scope) => !machine.scopes.includes(scope))) return [400, { error: "invalid_scope" }];
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: id,
      token_use: "access",
      scope: asked.join(" "),
      auth_time: now,
      iss: machine.issuer,
      exp: now + MACHINE_TOKEN_TTL_S,
      iat: now,
      version: 2,
      jti: randomUUID(),
      client_id: id,
    };
    return [200, { access_token: await signLikeCognitoLocal(claims), expires_in: MACHINE_TOKEN_TTL_S, token_type: "Bearer" }];
  }

  /** The user's tokens from the pool, in the token endpoint's shape. */
  private async signIn(clientId: string, secret: string | undefined): Promise<Record<string, unknown> | undefined> {
    const { endpoint, username, password } = this.options.user;
    const hash =
      secret &&
      createHmac("sha256", secret)
        .update(username + clientId)
        .digest("base64");
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth" },
      body: JSON.stringify({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password, ...(hash ? { SECRET_HASH: hash } : {}) },
      }),
    });
    const result = ((await res.json()) as { AuthenticationResult?: Record<string, unknown> }).AuthenticationResult;
    if (!result) return undefined;
    return {
      access_token: result.AccessToken,
      id_token: result.IdToken,
      refresh_token: result.RefreshToken,
      expires_in: result.ExpiresIn,
      token_type: "Bearer",
    };
  }
}
