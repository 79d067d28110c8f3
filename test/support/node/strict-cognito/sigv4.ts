// SigV4 as AWS checks it on Cognito's IAM-authorised operations: the test
// layer recomputes the signature of each such call for the test credentials.
import type { IncomingHttpHeaders } from "node:http";
import { AwsV4Signer } from "aws4fetch";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Cognito's error (__type) for a missing or wrong signature, or undefined when it verifies. */
export async function sigv4Error(
  headers: IncomingHttpHeaders,
  path: string,
  body: string,
  creds: Credentials,
): Promise<string | undefined> {
  const auth = AUTH.exec(String(headers.authorization ?? ""));
  if (!auth) return "MissingAuthenticationTokenException";
  const [, keyId, date, region, service, signedHeaders, signature] = auth;
  if (keyId !== creds.accessKeyId) return "UnrecognizedClientException";
  const amzDate = String(headers["x-amz-date"] ?? "");
  if (!amzDate.startsWith(date) || region !== creds.region || service !== "cognito-idp") return "InvalidSignatureException";
  if (Math.abs(Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z")) - Date.now()) > 5 * 60_000) {
    return "InvalidSignatureException";
  }
  if (creds.sessionToken && headers["x-amz-security-token"] !== creds.sessionToken) return "UnrecognizedClientException";
  const names = signedHeaders.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date")) return "InvalidSignatureException";
  const signed: Record<string, string> = {};
  for (const name of names) if (name !== "host") signed[name] = String(headers[name] ?? "");
  const signer = new AwsV4Signer({
    method: "POST",
    url: `http://${headers.host}${path}`,
    headers: signed,
    body,
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
    service: "cognito-idp",
    region: creds.region,
    datetime: amzDate,
  });
  const expected = await signer.signature();
  return expected === signature ? undefined : "InvalidSignatureException";
}
