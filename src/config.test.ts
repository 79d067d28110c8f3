import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const BASE = { AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_AbC123", COGNITO_CLIENT_ID: "abc123" };
/** 32 bytes: the shortest EDGE_SECRET accepted. */
const EDGE_SECRET = "0123456789abcdef0123456789abcdef";
const OAUTH = {
  COGNITO_DOMAIN: "https://auth.example.com",
  OAUTH_REDIRECT_URI: "https://e.example/auth/oauth/callback",
  OAUTH_RETURN_ORIGINS: "https://app.example.com",
};

describe("parseConfig", () => {
  it("derives endpoint, issuer and JWKS URL from the region and pool", () => {
    const config = parseConfig(BASE);
    expect(config.endpoint).toBe("https://cognito-idp.eu-west-1.amazonaws.com/");
    expect(config.issuers).toEqual([
      "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
      "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
    ]);
    expect(config.issuer).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
    expect(config.jwksUrl).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json");
    expect(config).toMatchObject({ timeoutMs: 5000, adminGroup: "admin", refreshDelivery: "cookie", refreshRotation: false, corsOrigins: [] });
    expect(config.aws).toBeUndefined();
    expect(config.clientSecret).toBeUndefined();
  });

  it("fetches the JWKS from the UPDATED issuer with COGNITO_ISSUER_FORMAT=updated, still accepting both", () => {
    const config = parseConfig({ ...BASE, COGNITO_ISSUER_FORMAT: "updated" });
    expect(config.issuers).toEqual([
      "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
      "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
    ]);
    expect(config.jwksUrl).toBe("https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json");
  });

  it("derives the issuers from the pool's primary Region (its id), also when AWS_REGION names a replica's", () => {
    const config = parseConfig({ ...BASE, AWS_REGION: "eu-central-1", COGNITO_ISSUER_FORMAT: "updated" });
    expect(config.endpoint).toBe("https://cognito-idp.eu-central-1.amazonaws.com/");
    expect(config.issuers).toEqual([
      "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
      "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
    ]);
  });

  it("replaces the pair with COGNITO_ISSUER: one issuer, or two, the JWKS from the first", () => {
    expect(parseConfig({ ...BASE, COGNITO_ISSUER: "http://127.0.0.1:9229/local_1/" })).toMatchObject({
      issuer: "http://127.0.0.1:9229/local_1",
      issuers: ["http://127.0.0.1:9229/local_1"],
      jwksUrl: "http://127.0.0.1:9229/local_1/.well-known/jwks.json",
    });
    const two = parseConfig({ ...BASE, COGNITO_ISSUER: "https://a.example/p, https://b.example/p" });
    expect(two.issuers).toEqual(["https://a.example/p", "https://b.example/p"]);
    expect(two.jwksUrl).toBe("https://a.example/p/.well-known/jwks.json");
    expect(parseConfig({ ...BASE, COGNITO_ISSUER: "https://a.example/p,https://a.example/p/" }).issuers).toEqual(["https://a.example/p"]);
  });

  it("sends the user's IP to Cognito only when asked to, and only from a client with a secret", () => {
    expect(parseConfig(BASE).sendUserIp).toBe(false);
    expect(parseConfig({ ...BASE, COGNITO_CLIENT_SECRET: "s1", COGNITO_USER_CONTEXT_IP: "off" }).sendUserIp).toBe(false);
    expect(parseConfig({ ...BASE, COGNITO_CLIENT_SECRET: "s1", COGNITO_USER_CONTEXT_IP: "on" }).sendUserIp).toBe(true);
  });

  it("refreshes with rotation only when REFRESH_ROTATION is on", () => {
    expect(parseConfig({ ...BASE, REFRESH_ROTATION: "on" }).refreshRotation).toBe(true);
    expect(parseConfig({ ...BASE, REFRESH_ROTATION: "off" }).refreshRotation).toBe(false);
    expect(parseConfig({ ...BASE, REFRESH_ROTATION: " " }).refreshRotation).toBe(false);
  });

  it("answers browsers with sessions only when SESSION_MODE is browser", () => {
    expect(parseConfig({ ...BASE, SESSION_MODE: "browser" }).sessionMode).toBe("browser");
    expect(parseConfig({ ...BASE, SESSION_MODE: " token " }).sessionMode).toBe("token");
    expect(parseConfig({ ...BASE, SESSION_MODE: "" }).sessionMode).toBe("token");
  });

  it("turns the hosted UI on with its URLs alone: the state key derives from EDGE_SECRET", () => {
    const oauth = { COGNITO_DOMAIN: "https://auth.example.com/", OAUTH_REDIRECT_URI: "https://e.example/auth/oauth/callback" };
    expect(parseConfig({ ...BASE, ...oauth }).oauth).toEqual({ domain: "https://auth.example.com", redirectUri: oauth.OAUTH_REDIRECT_URI, returnOrigins: [] });
  });

  it("holds the keys of EDGE_SECRET (at least 32 bytes), and none without it", () => {
    expect(parseConfig({ ...BASE, EDGE_SECRET }).keys).toBeDefined();
    expect(parseConfig({ ...BASE, EDGE_SECRET: "ü".repeat(16) }).keys).toBeDefined();
    expect(parseConfig(BASE).keys).toBeUndefined();
    expect(parseConfig({ ...BASE, EDGE_SECRET: " " }).keys).toBeUndefined();
  });

  it.each([
    [{ EDGE_SECRET: EDGE_SECRET.slice(1) }, ["EDGE_SECRET"]],
    [{ EDGE_SECRET: "ü".repeat(15) }, ["EDGE_SECRET"]],
    [{ EDGE_SECRET, EDGE_SECRET_PREVIOUS: `${EDGE_SECRET}-old` }, ["EDGE_SECRET_PREVIOUS_UNTIL"]],
    [{ EDGE_SECRET, EDGE_SECRET_PREVIOUS: `${EDGE_SECRET}-old`, EDGE_SECRET_PREVIOUS_UNTIL: "next month" }, ["EDGE_SECRET_PREVIOUS_UNTIL"]],
    [{ EDGE_SECRET, EDGE_SECRET_PREVIOUS_UNTIL: "2027-01-31" }, ["EDGE_SECRET_PREVIOUS_UNTIL"]],
    [{ EDGE_SECRET, EDGE_SECRET_PREVIOUS: "short", EDGE_SECRET_PREVIOUS_UNTIL: "2027-01-31" }, ["EDGE_SECRET_PREVIOUS"]],
  ])("refuses a malformed secret and names the variable (%#)", (vars, variables) => {
    expect(() => parseConfig({ ...BASE, ...vars })).toThrow(ConfigError);
    try {
      parseConfig({ ...BASE, ...vars });
    } catch (err) {
      expect((err as ConfigError).variables).toEqual(variables);
    }
  });

  it("offers the configured first factors and passkey settings, the same for every account", () => {
    expect(parseConfig(BASE)).toMatchObject({ firstFactors: ["password"], passkey: { timeoutMs: 180000, userVerification: "preferred" } });
    const config = parseConfig({ ...BASE, FIRST_FACTORS: "passkey, password,passkey", PASSKEY_RP_ID: "example.com", PASSKEY_TIMEOUT_MS: "60000" });
    expect(config.firstFactors).toEqual(["passkey", "password"]);
    expect(config.passkey).toEqual({ rpId: "example.com", timeoutMs: 60000, userVerification: "preferred" });
    for (const bad of [{ FIRST_FACTORS: "password,sms" }, { PASSKEY_RP_ID: "https://example.com" }, { PASSKEY_TIMEOUT_MS: "5000" }]) {
      expect(() => parseConfig({ ...BASE, ...bad })).toThrow(ConfigError);
    }
  });

  it("allows plain http only on loopback hosts, for local development", () => {
    for (const host of ["127.0.0.1:9339", "127.1.2.3", "[::1]:8080", "localhost:8787"]) {
      const config = parseConfig({
        ...BASE,
        ...OAUTH,
        COGNITO_ENDPOINT: `http://${host}/`,
        COGNITO_ISSUER: `http://${host}/pool`,
        CORS_ORIGINS: `http://${host}`,
        COGNITO_DOMAIN: `http://${host}`,
        OAUTH_REDIRECT_URI: `http://${host}/auth/oauth/callback`,
        OAUTH_RETURN_ORIGINS: `http://${host}`,
      });
      expect(config.endpoint).toBe(`http://${host}/`);
      expect(config.oauth?.domain).toBe(`http://${host}`);
      expect(config.disabled).toEqual({});
    }
  });

  it("treats empty optional variables as unset and parses lists", () => {
    const config = parseConfig({
      ...BASE,
      COGNITO_CLIENT_SECRET: "",
      CORS_ORIGINS: "https://a.example, https://b.example/",
      PUBLIC_PATHS: "/public,/docs",
      COGNITO_TIMEOUT_MS: "1500",
    });
    expect(config.clientSecret).toBeUndefined();
    expect(config.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(config.publicPaths).toEqual(["/public", "/docs"]);
    expect(config.timeoutMs).toBe(1500);
  });

  it("sends no SMS unless SMS_COUNTRY_CODES names countries, and 100 an hour", () => {
    expect(parseConfig(BASE)).toMatchObject({ smsCountryCodes: [], smsHourlyLimit: 100 });
    expect(parseConfig({ ...BASE, SMS_COUNTRY_CODES: " 1, 44 ,49", SMS_HOURLY_LIMIT: "500" })).toMatchObject({ smsCountryCodes: ["1", "44", "49"], smsHourlyLimit: 500 });
    expect(parseConfig({ ...BASE, SMS_COUNTRY_CODES: "*" }).smsCountryCodes).toBe("*");
  });

  it.each([
    [{ ...BASE, AWS_REGION: undefined }, "AWS_REGION"],
    [{ ...BASE, COGNITO_USER_POOL_ID: "nope" }, "COGNITO_USER_POOL_ID"],
    [{ ...BASE, COGNITO_CLIENT_ID: "" }, "COGNITO_CLIENT_ID"],
    [{ ...BASE, COGNITO_TIMEOUT_MS: "soon" }, "COGNITO_TIMEOUT_MS"],
    [{ ...BASE, REFRESH_TOKEN_DELIVERY: "carrier-pigeon" }, "REFRESH_TOKEN_DELIVERY"],
    [{ ...BASE, REFRESH_ROTATION: "yes" }, "REFRESH_ROTATION"],
    [{ ...BASE, SESSION_MODE: "cookie" }, "SESSION_MODE"],
    [{ ...BASE, LOG_LEVEL: "debug" }, "LOG_LEVEL"],
    [{ ...BASE, COGNITO_ISSUER: "https://a.example/p,https://b.example/p,https://c.example/p" }, "COGNITO_ISSUER"],
    [{ ...BASE, COGNITO_ISSUER: "https://a.example/p,not a url" }, "COGNITO_ISSUER"],
    [{ ...BASE, COGNITO_ISSUER_FORMAT: "UPDATED" }, "COGNITO_ISSUER_FORMAT"],
    [{ ...BASE, COGNITO_ISSUER: "https://a.example/p", COGNITO_ISSUER_FORMAT: "updated" }, "COGNITO_ISSUER_FORMAT"],
    [{ ...BASE, COGNITO_USER_CONTEXT_IP: "on" }, "COGNITO_USER_CONTEXT_IP"],
    [{ ...BASE, COGNITO_CLIENT_SECRET: "s1", COGNITO_USER_CONTEXT_IP: "yes" }, "COGNITO_USER_CONTEXT_IP"],
    [{ ...BASE, RATE_LIMITS: "login=ten/60" }, "RATE_LIMITS"],
    [{ ...BASE, SMS_COUNTRY_CODES: "+44" }, "SMS_COUNTRY_CODES"],
    [{ ...BASE, SMS_HOURLY_LIMIT: "lots" }, "SMS_HOURLY_LIMIT"],
    [{ ...BASE, CORS_ORIGINS: "not a url" }, "CORS_ORIGINS"],
    [{ ...BASE, COGNITO_ISSUER: "http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123" }, "COGNITO_ISSUER"],
    [{ ...BASE, COGNITO_ENDPOINT: "http://cognito.internal/" }, "COGNITO_ENDPOINT"],
    [{ ...BASE, COGNITO_ENDPOINT: "ftp://127.0.0.1/" }, "COGNITO_ENDPOINT"],
    [{ ...BASE, CORS_ORIGINS: "https://app.example.com, http://app.example.com" }, "CORS_ORIGINS"],
    [{ ...BASE, CORS_ORIGINS: "http://127.0.0.1.example.com" }, "CORS_ORIGINS"],
    [{ ...BASE, CORS_ORIGINS: "http://localhost.example.com" }, "CORS_ORIGINS"],
  ])("names the bad variable (%#)", (env, variable) => {
    try {
      parseConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variables).toContain(variable);
    }
  });

  it.each([
    ["oauth", { COGNITO_DOMAIN: "https://auth.example.com" }, ["OAUTH_REDIRECT_URI"]],
    ["oauth", { ...OAUTH, COGNITO_DOMAIN: "http://auth.example.com" }, ["COGNITO_DOMAIN"]],
    ["oauth", { ...OAUTH, OAUTH_REDIRECT_URI: "http://e.example/auth/oauth/callback" }, ["OAUTH_REDIRECT_URI"]],
    ["oauth", { ...OAUTH, OAUTH_RETURN_ORIGINS: "https://app.example.com,http://app.example.com" }, ["OAUTH_RETURN_ORIGINS"]],
    ["oauth", { OAUTH_RETURN_ORIGINS: "https://app.example.com" }, ["COGNITO_DOMAIN", "OAUTH_REDIRECT_URI"]],
    ["admin", { AWS_ACCESS_KEY_ID: "AKIA" }, ["AWS_SECRET_ACCESS_KEY"]],
    ["admin", { AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" }, ["AWS_ACCESS_KEY_ID"]],
  ] as const)("switches %s off and names the variables at fault (%#)", (feature, vars, variables) => {
    const config = parseConfig({ ...BASE, ...vars });
    expect(config.disabled).toEqual({ [feature]: variables });
    expect(feature === "oauth" ? config.oauth : config.aws).toBeUndefined();
  });

  it("leaves unconfigured features off without complaint", () => {
    expect(parseConfig({ ...BASE, ...OAUTH }).oauth).toBeDefined();
    const plain = parseConfig({ ...BASE, COGNITO_DOMAIN: " ", AWS_SESSION_TOKEN: "t" });
    expect({ oauth: plain.oauth, aws: plain.aws, disabled: plain.disabled }).toEqual({ oauth: undefined, aws: undefined, disabled: {} });
  });
});
