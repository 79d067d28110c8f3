// What globalSetup (Node) hands to the tests (workerd) through provide/inject.

/** A user pool of the stand-in with its two app clients. */
export interface PoolFixture {
  poolId: string;
  /** COGNITO_ISSUER of the pool's tokens. */
  issuer: string;
  publicClientId: string;
  secretClientId: string;
  clientSecret: string;
  /** SignInPolicy.AllowedFirstAuthFactors of the pool. */
  firstFactors: ("PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN")[];
}

/** The main pool (every first factor), where the Worker's bindings point. */
export interface CognitoFixture extends PoolFixture {
  /** Our strict layer: the COGNITO_ENDPOINT the Worker talks to. */
  endpoint: string;
  /** App clients with refresh-token rotation, each kind with each RetryGracePeriodSeconds. */
  rotatingClients: RotatingClient[];
  /** A second pool whose first factors are only PASSWORD and WEB_AUTHN (as scripts/create-pool.sh makes it). */
  passwordPasskeyPool: PoolFixture;
}

/** An app client of the pool with RefreshTokenRotation ENABLED. */
export interface RotatingClient {
  kind: "public" | "secret";
  graceSeconds: number;
  clientId: string;
  /** Only for kind "secret". */
  clientSecret?: string;
}

/** A machine (client_credentials) app client. */
export interface MachineClientFixture {
  clientId: string;
  clientSecret: string;
}

/** The client_credentials clients of the OAuth stand-in, with scopes `api/read` and `api/write`. */
export interface MachineFixture {
  /** The token endpoint (POST, HTTP Basic). */
  tokenUrl: string;
  /** Of the main pool: the one the tests list in GATEWAY_RULES. */
  listed: MachineClientFixture;
  /** Of the main pool too, never listed. */
  unlisted: MachineClientFixture;
  /** Of the second pool. */
  otherPool: MachineClientFixture;
}

declare module "vitest" {
  export interface ProvidedContext {
    cognito: CognitoFixture;
    /** Base URL of the JWKS host: POST /__keys/<name>, GET /__count/<name>, POST /__mode/<name>. */
    jwksBase: string;
    /** The hosted-UI stand-in (it signs in a user of the pool): COGNITO_DOMAIN and the registered callback. */
    oauth: { domain: string; redirectUri: string };
    machines: MachineFixture;
    /** fuzz.test.ts: inputs per property (0: each property's CI default) and a seed and path to replay a failure. */
    fuzz: { runs: number; seed?: number; path?: string };
    /** A user's context as a page and Cloudflare would send it: never to appear in a log. */
    userContext: { encodedData: string; ip: string };
    /** The AWS credentials the strict layer expects admin calls to be signed with. */
    admin: { accessKeyId: string; secretAccessKey: string; sessionToken: string; region: string };
  }
}
