import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const BASE = { AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_AbC123", COGNITO_CLIENT_ID: "abc123" };

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
    expect(config).toMatchObject({ timeoutMs: 5000, adminGroup: "admin", refreshDelivery: "cookie", corsOrigins: [] });
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

  it("signs the OAuth state with OAUTH_STATE_SECRET, else the client secret", () => {
    const oauth = { COGNITO_DOMAIN: "https://auth.example.com/", OAUTH_REDIRECT_URI: "https://e.example/auth/oauth/callback" };
    expect(parseConfig({ ...BASE, ...oauth, COGNITO_CLIENT_SECRET: "s1" }).oauth).toMatchObject({
      domain: "https://auth.example.com",
      stateSecret: "s1",
    });
    expect(parseConfig({ ...BASE, ...oauth, COGNITO_CLIENT_SECRET: "s1", OAUTH_STATE_SECRET: "s2" }).oauth?.stateSecret).toBe("s2");
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

  it.each([
    [{ ...BASE, AWS_REGION: undefined }, "AWS_REGION"],
    [{ ...BASE, COGNITO_USER_POOL_ID: "nope" }, "COGNITO_USER_POOL_ID"],
    [{ ...BASE, COGNITO_CLIENT_ID: "" }, "COGNITO_CLIENT_ID"],
    [{ ...BASE, COGNITO_TIMEOUT_MS: "soon" }, "COGNITO_TIMEOUT_MS"],
    [{ ...BASE, REFRESH_TOKEN_DELIVERY: "carrier-pigeon" }, "REFRESH_TOKEN_DELIVERY"],
    [{ ...BASE, LOG_LEVEL: "debug" }, "LOG_LEVEL"],
    [{ ...BASE, COGNITO_ISSUER: "https://a.example/p,https://b.example/p,https://c.example/p" }, "COGNITO_ISSUER"],
    [{ ...BASE, COGNITO_ISSUER: "https://a.example/p,not a url" }, "COGNITO_ISSUER"],
    [{ ...BASE, COGNITO_ISSUER_FORMAT: "UPDATED" }, "COGNITO_ISSUER_FORMAT"],
    [{ ...BASE, COGNITO_ISSUER: "https://a.example/p", COGNITO_ISSUER_FORMAT: "updated" }, "COGNITO_ISSUER_FORMAT"],
    [{ ...BASE, COGNITO_USER_CONTEXT_IP: "on" }, "COGNITO_USER_CONTEXT_IP"],
    [{ ...BASE, COGNITO_CLIENT_SECRET: "s1", COGNITO_USER_CONTEXT_IP: "yes" }, "COGNITO_USER_CONTEXT_IP"],
    [{ ...BASE, RATE_LIMITS: "login=ten/60" }, "RATE_LIMITS"],
    [{ ...BASE, CORS_ORIGINS: "not a url" }, "CORS_ORIGINS"],
    [{ ...BASE, AWS_ACCESS_KEY_ID: "AKIA" }, "AWS_SECRET_ACCESS_KEY"],
    [{ ...BASE, COGNITO_DOMAIN: "https://auth.example.com" }, "OAUTH_REDIRECT_URI"],
    [{ ...BASE, COGNITO_DOMAIN: "https://auth.example.com", OAUTH_REDIRECT_URI: "https://e.example/cb" }, "OAUTH_STATE_SECRET"],
  ])("names the bad variable (%#)", (env, variable) => {
    try {
      parseConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variables).toContain(variable);
    }
  });
});
