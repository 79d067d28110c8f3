// The stand-in's model check: the current SDK model's members and types, and
// botocore's lengths, patterns, enums and ranges (constraints.json), with
// Java's regular-expression semantics.
import { describe, expect, it } from "vitest";
import { translateAll, translatePattern, untranslatedPatterns } from "./constraints";
import { checkInput, checkOutput, requiresSigV4, takesSecretHash } from "./model";

const CLIENT = "abc123def456";
const POOL = "local_abc123";
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

describe("Java patterns in JavaScript", () => {
  it("matches the whole value, as Java's Matcher.matches() does", () => {
    const username = translatePattern("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
    expect(username?.test("ana@example.com")).toBe(true);
    expect(username?.test("Zoë+ünï@例え.jp")).toBe(true);
    expect(username?.test("ana example")).toBe(false);
    expect(translatePattern("[0-9]+")?.test("12a")).toBe(false);
  });

  it("keeps Java's ASCII-only \\s and \\S", () => {
    const code = translatePattern("[\\S]+");
    expect(code?.test("12 34")).toBe(false);
    expect(code?.test("12\u00a034")).toBe(true); // NBSP is not whitespace to Java's \S
    expect(translatePattern("[\\w\\s+=.@-]+")?.test("a b\tc")).toBe(true);
    expect(translatePattern("[\\w\\s+=.@-]+")?.test("a\u2028b")).toBe(false);
  });

  it("reads a dash after a range as a literal dash", () => {
    const token = translatePattern("[A-Za-z0-9-_=.]+");
    expect(token?.test("a-b_c=.")).toBe(true);
    expect(token?.test("a/b")).toBe(false);
  });

  it("gives up on Java-only syntax instead of guessing", () => {
    expect(translatePattern("[a-z&&[^b]]+")).toBeUndefined();
    expect(translatePattern("\\p{Alpha}+")).toBeUndefined();
    expect(translatePattern("a++")).toBeUndefined();
    expect(translatePattern("[a\\S]+")).toBeUndefined();
  });

  it("translates every pattern of the operations the Worker calls", () => {
    translateAll();
    expect(untranslatedPatterns).toEqual([]);
  });
});

describe("request checks", () => {
  it("accepts requests as the Worker sends them", () => {
    expect(checkInput("SignUp", { ClientId: CLIENT, Username: "a@example.com", Password: "Passw0rd! x", UserAttributes: [{ Name: "email", Value: "a@example.com" }] })).toEqual([]);
    expect(checkInput("ListUsers", { UserPoolId: POOL, Limit: 60, Filter: 'email = "a@example.com"' })).toEqual([]);
    expect(checkInput("RevokeToken", { ClientId: CLIENT, Token: TOKEN })).toEqual([]);
    // EMAIL_OTP is in the current model (botocore 1.43, the SDK v3 schemas).
    const session = "x".repeat(64);
    expect(checkInput("RespondToAuthChallenge", { ClientId: CLIENT, ChallengeName: "EMAIL_OTP", Session: session })).toEqual([]);
  });

  it.each([
    ["a username over 128 characters", "ForgotPassword", { ClientId: CLIENT, Username: `${"a".repeat(120)}@example.com` }, "ForgotPassword.Username: longer than 128"],
    ["a username with a space", "ForgotPassword", { ClientId: CLIENT, Username: "a b@example.com" }, "ForgotPassword.Username: does not match"],
    ["a password with a leading space", "SignUp", { ClientId: CLIENT, Username: "a@example.com", Password: " Passw0rd!" }, "SignUp.Password: does not match"],
    ["an attribute name over 32 characters", "UpdateUserAttributes", { AccessToken: TOKEN, UserAttributes: [{ Name: `custom:${"x".repeat(30)}`, Value: "v" }] }, "UpdateUserAttributes.UserAttributes[0].Name: longer than 32"],
    ["a session under 20 characters", "RespondToAuthChallenge", { ClientId: CLIENT, ChallengeName: "SMS_MFA", Session: "short" }, "RespondToAuthChallenge.Session: shorter than 20"],
    ["an unknown challenge", "RespondToAuthChallenge", { ClientId: CLIENT, ChallengeName: "EMAIL_CODE" }, "RespondToAuthChallenge.ChallengeName: not one of the enum values"],
    ["a token with characters no JWT has", "RevokeToken", { ClientId: CLIENT, Token: "not a token!" }, "RevokeToken.Token: does not match"],
    ["a Limit over 60", "ListUsers", { UserPoolId: POOL, Limit: 61 }, "ListUsers.Limit: above the maximum 60"],
    ["a filter over 256 characters", "ListUsers", { UserPoolId: POOL, Filter: `email = "${"a".repeat(240)}@example.com"` }, "ListUsers.Filter: longer than 256"],
    ["a TOTP code that is not 6 digits", "VerifySoftwareToken", { AccessToken: TOKEN, UserCode: "12345a" }, "VerifySoftwareToken.UserCode: does not match"],
  ])("refuses %s", (_what, op, input, problem) => {
    expect(checkInput(op, input).join("; ")).toContain(problem);
  });

  it("knows the operations and members newer than the aws-sdk v2 model", () => {
    expect(checkInput("InitiateAuth", { AuthFlow: "USER_AUTH", ClientId: CLIENT, AuthParameters: { USERNAME: "a@example.com", PREFERRED_CHALLENGE: "EMAIL_OTP" } })).toEqual([]);
    expect(checkInput("GetTokensFromRefreshToken", { RefreshToken: TOKEN, ClientId: CLIENT, ClientSecret: "s".repeat(40) })).toEqual([]);
    expect(checkInput("StartWebAuthnRegistration", { AccessToken: TOKEN })).toEqual([]);
    // Credential is a document: any JSON value.
    expect(checkInput("CompleteWebAuthnRegistration", { AccessToken: TOKEN, Credential: { id: "a", response: {} } })).toEqual([]);
    expect(checkInput("GetUserAuthFactors", { AccessToken: TOKEN })).toEqual([]);
  });

  it.each([
    ["a missing required member", "GetTokensFromRefreshToken", { RefreshToken: TOKEN }, "GetTokensFromRefreshToken.ClientId: required member missing"],
    ["SECRET_HASH where the operation takes the secret itself", "GetTokensFromRefreshToken", { RefreshToken: TOKEN, ClientId: CLIENT, SecretHash: "x" }, "GetTokensFromRefreshToken.SecretHash: unknown member"],
    ["a number where the model says string", "SignUp", { ClientId: CLIENT, Username: "a@example.com", UserAttributes: [{ Name: "email", Value: 1 }] }, "SignUp.UserAttributes[0].Value: expected a string"],
    ["a map value that is not a string", "InitiateAuth", { AuthFlow: "USER_AUTH", ClientId: CLIENT, AuthParameters: { USERNAME: 2 } }, "InitiateAuth.AuthParameters.USERNAME: expected a string"],
    ["an operation that does not exist", "SignIn", {}, "SignIn: no such Cognito operation"],
  ])("refuses %s", (_what, op, input, problem) => {
    expect(checkInput(op, input).join("; ")).toContain(problem);
  });

  it("knows which operations need SigV4 and which take SECRET_HASH", () => {
    expect([requiresSigV4("InitiateAuth"), requiresSigV4("GetTokensFromRefreshToken"), requiresSigV4("StartWebAuthnRegistration")]).toEqual([false, false, false]);
    expect([requiresSigV4("AdminGetUser"), requiresSigV4("ListUsers"), requiresSigV4("AdminUserGlobalSignOut")]).toEqual([true, true, true]);
    expect([takesSecretHash("SignUp"), takesSecretHash("ConfirmSignUp"), takesSecretHash("GetTokensFromRefreshToken")]).toEqual([true, true, false]);
  });

  it("names the member and the rule, never the value", () => {
    const secret = " S3cret-value";
    const problems = checkInput("ChangePassword", { AccessToken: TOKEN, PreviousPassword: secret, ProposedPassword: secret });
    expect(problems).toHaveLength(2);
    expect(problems.join()).not.toContain("S3cret");
  });

  it("reports an operation the constraints were not extracted for", () => {
    expect(checkInput("AdminSetUserPassword", { UserPoolId: POOL, Username: "u", Password: "Passw0rd!" })).toEqual([
      expect.stringContaining("not in constraints.json"),
    ]);
  });
});

describe("the stand-in's answers", () => {
  it("takes an answer of the operation's output shape and refuses unknown members, missing required ones and wrong types", () => {
    const factors = { Username: "u", ConfiguredUserAuthFactors: ["PASSWORD"] };
    expect(checkOutput("GetUserAuthFactors", 200, factors)).toEqual([]);
    expect(checkOutput("GetUserAuthFactors", 200, { ...factors, Extra: 1 })).toEqual(["GetUserAuthFactors answer.Extra: unknown member"]);
    expect(checkOutput("GetUserAuthFactors", 200, { ConfiguredUserAuthFactors: [] })).toEqual(["GetUserAuthFactors answer.Username: required member missing"]);
    expect(checkOutput("GetUserAuthFactors", 200, { Username: 1 })).toEqual(["GetUserAuthFactors answer.Username: expected a string"]);
  });

  it("takes {} from an operation that answers nothing, and nothing else", () => {
    expect(checkOutput("AdminDeleteUser", 200, {})).toEqual([]);
    expect(checkOutput("AdminDeleteUser", 200, { Deleted: true })).toHaveLength(1);
  });

  it("refuses an error the operation does not declare, and takes SigV4's common errors only where a signature is required", () => {
    expect(checkOutput("GetTokensFromRefreshToken", 400, { __type: "RefreshTokenReuseException" })).toEqual([]);
    expect(checkOutput("InitiateAuth", 400, { __type: "RefreshTokenReuseException" })).toHaveLength(1);
    expect(checkOutput("RevokeToken", 400, { __type: "NotAuthorizedException" })).toHaveLength(1);
    expect(checkOutput("RevokeToken", 400, { __type: "UnauthorizedException" })).toEqual([]);
    expect(checkOutput("ListUsers", 400, { __type: "InvalidSignatureException" })).toEqual([]);
    expect(checkOutput("InitiateAuth", 400, { __type: "InvalidSignatureException" })).toHaveLength(1);
    expect(checkOutput("InitiateAuth", 400, { message: "no type" })).toHaveLength(1);
  });
});
