// The stand-in's SigV4 verifier against AWS's own test suite, then against
// what AWS refuses: a changed byte, a stale or future date, another key, a
// missing or wrong session token, a scope for another region or service.
import { createRequire } from "node:module";
import { AwsV4Signer } from "aws4fetch";
import { describe, expect, it } from "vitest";
import { canonicalRequest, type Credentials, type SignedRequest, sigv4Error } from "./sigv4";

interface Vector {
  name: string;
  request: string;
  canonicalRequest?: string;
  sessionToken?: string;
}

const require = createRequire(import.meta.url);
const suite: { credentials: Credentials; service: string; time: string; cases: Vector[] } = require("./sigv4-test-suite.json");
const NOW = Date.parse(suite.time);

/** A raw HTTP/1.1 request as the suite writes it; a line that starts with a space continues the header above. */
function parse(raw: string): SignedRequest {
  const [head, body = ""] = raw.split(/\n\n/, 2);
  const [requestLine, ...lines] = head.split("\n");
  const method = requestLine.slice(0, requestLine.indexOf(" "));
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (/^\s/.test(line)) headers.push([headers[headers.length - 1][0], line]);
    else headers.push([line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)]);
  }
  // The target may hold spaces (get-space): it ends at the last space, before HTTP/1.1.
  return { method, target: requestLine.slice(method.length + 1, requestLine.lastIndexOf(" ")), headers, body };
}

const credsOf = (v: Vector): Credentials => ({ ...suite.credentials, sessionToken: v.sessionToken });
const signedHeadersOf = (req: SignedRequest) =>
  /SignedHeaders=([^,]+)/.exec(req.headers.find(([n]) => n === "Authorization")?.[1] ?? "")?.[1].split(";") ?? [];
const withHeader = (req: SignedRequest, name: string, value: (v: string) => string): SignedRequest => ({
  ...req,
  headers: req.headers.map(([n, v]) => [n, n.toLowerCase() === name ? value(v) : v]),
});

describe("SigV4 verification, AWS's test suite", () => {
  it.each(suite.cases)("accepts $name", (vector) => {
    expect(sigv4Error(parse(vector.request), credsOf(vector), suite.service, NOW)).toBeUndefined();
  });

  it.each(suite.cases.filter((v) => v.canonicalRequest))("builds the canonical request of $name", (vector) => {
    const req = parse(vector.request);
    expect(canonicalRequest(req, signedHeadersOf(req))).toBe(vector.canonicalRequest);
  });

  it.each(suite.cases)("refuses $name with one byte of the body or target changed", (vector) => {
    const req = parse(vector.request);
    const changed = [
      { ...req, body: `${req.body}x` },
      { ...req, target: req.target.includes("?") ? `${req.target}&x=1` : `${req.target}x` },
    ];
    for (const r of changed) expect(sigv4Error(r, credsOf(vector), suite.service, NOW)?.type).toBe("InvalidSignatureException");
  });
});

describe("SigV4 verification, what AWS refuses", () => {
  const vanilla = suite.cases.find((v) => v.name === "get-vanilla") as Vector;
  const sts = suite.cases.find((v) => v.name === "post-sts-token/post-sts-header-before") as Vector;
  const check = (req: SignedRequest, creds: Credentials = suite.credentials, now = NOW) => sigv4Error(req, creds, suite.service, now)?.type;

  it("treats header names case-insensitively", () => {
    const req = parse(vanilla.request);
    expect(check({ ...req, headers: req.headers.map(([n, v]) => [n.toUpperCase(), v]) })).toBeUndefined();
  });

  it("accepts a date 14 minutes off either way, refuses 16 minutes", () => {
    const req = parse(vanilla.request);
    expect(check(req, suite.credentials, NOW + 14 * 60_000)).toBeUndefined();
    expect(check(req, suite.credentials, NOW - 14 * 60_000)).toBeUndefined();
    expect(check(req, suite.credentials, NOW + 16 * 60_000)).toBe("InvalidSignatureException");
    expect(check(req, suite.credentials, NOW - 16 * 60_000)).toBe("InvalidSignatureException");
  });

  it("refuses a changed signed header, signature, key id, region or service", () => {
    const req = parse(vanilla.request);
    expect(check(withHeader(req, "x-amz-date", () => "20150830T123601Z"))).toBe("InvalidSignatureException");
    expect(check(withHeader(req, "authorization", (v) => v.replace(/Signature=./, "Signature=0")))).toBe("InvalidSignatureException");
    expect(check(req, { ...suite.credentials, accessKeyId: "AKIDOTHER" })).toBe("UnrecognizedClientException");
    expect(check(req, { ...suite.credentials, secretAccessKey: "other" })).toBe("InvalidSignatureException");
    expect(check(req, { ...suite.credentials, region: "eu-west-1" })).toBe("InvalidSignatureException");
    expect(sigv4Error(req, suite.credentials, "cognito-idp", NOW)?.type).toBe("InvalidSignatureException");
  });

  it("refuses a missing or malformed Authorization header, and an unsigned Host or X-Amz-Date", () => {
    const req = parse(vanilla.request);
    const without = { ...req, headers: req.headers.filter(([n]) => n !== "Authorization") };
    expect(check(without)).toBe("MissingAuthenticationTokenException");
    expect(check(withHeader(req, "authorization", (v) => v.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1")))).toBe(
      "IncompleteSignatureException",
    );
    expect(check(withHeader(req, "authorization", (v) => v.replace("host;x-amz-date", "x-amz-date")))).toBe(
      "IncompleteSignatureException",
    );
  });

  it("wants the session token of temporary credentials, signed or not, and no other", () => {
    const req = parse(sts.request);
    const without = { ...req, headers: req.headers.filter(([n]) => n !== "X-Amz-Security-Token") };
    expect(check(req, credsOf(sts))).toBeUndefined();
    expect(check(without, credsOf(sts))).toBe("UnrecognizedClientException");
    expect(check(withHeader(req, "x-amz-security-token", () => "other"), credsOf(sts))).toBe("UnrecognizedClientException");
    expect(check(req, suite.credentials)).toBe("UnrecognizedClientException");
  });

  it("accepts what aws4fetch signs for Cognito, as the Worker sends it", async () => {
    const creds = { accessKeyId: "AKIATEST", secretAccessKey: "secret", sessionToken: "token", region: "local" };
    const body = JSON.stringify({ UserPoolId: "local_abc", Limit: 10 });
    const signer = new AwsV4Signer({
      ...creds,
      url: "http://127.0.0.1:9000/",
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUsers" },
      body,
      service: "cognito-idp",
    });
    const signed = await signer.sign();
    const headers: [string, string][] = [["Host", "127.0.0.1:9000"], ...signed.headers.entries()];
    const req = { method: "POST", target: "/", headers, body };
    expect(sigv4Error(req, creds, "cognito-idp")).toBeUndefined();
    expect(sigv4Error({ ...req, body: body.replace("10", "11") }, creds, "cognito-idp")?.type).toBe("InvalidSignatureException");
  });
});
