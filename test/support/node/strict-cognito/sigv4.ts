// SigV4 as AWS checks it on Cognito's IAM-authorised operations, written from
// the AWS documentation ("Create a signed AWS API request", IAM user guide)
// with node:crypto alone: the Worker signs with aws4fetch, so verifying with
// aws4fetch too would let a shared canonicalisation bug pass. Checked against
// AWS's SigV4 test suite in sigv4.test.ts.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

/** A request as it arrived: the raw request-target and the header lines in order. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as on the request line (not decoded). */
  target: string;
  /** [name, value] per header line, as Node's IncomingMessage.rawHeaders gives them. */
  headers: [string, string][];
  body: Buffer | string;
}

/** AWS's error __type, and a message that names no secret. */
export interface SigV4Error {
  type: string;
  message: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
/** AWS refuses a request whose X-Amz-Date is more than 15 minutes off. */
const MAX_SKEW_MS = 15 * 60_000;

const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 percent-encoding of everything but the unreserved characters A-Z a-z 0-9 - . _ ~ */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI: the path with empty, "." and ".." segments resolved
 * (RFC 3986 normalisation, as every service but S3 does), each segment encoded.
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(uriEncode(segment));
  }
  const trailing = segments.length > 0 && path.endsWith("/");
  return `/${segments.join("/")}${trailing ? "/" : ""}`;
}

/** The canonical query string: each name and value decoded then encoded, sorted by name, then value. */
export function canonicalQuery(query: string): string {
  if (!query) return "";
  const pairs = query
    .split("&")
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      const [name, value] = eq === -1 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
      return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/** Every value of a header (case-insensitive name), trimmed with inner runs of spaces collapsed. */
function headerValues(req: SignedRequest, name: string): string[] {
  return req.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.trim().replace(/ +/g, " "));
}

/** The canonical request of `req` over `signedHeaders` (lower-case names, in the order signed). */
export function canonicalRequest(req: SignedRequest, signedHeaders: string[]): string {
  const q = req.target.indexOf("?");
  const path = q === -1 ? req.target : req.target.slice(0, q);
  const query = q === -1 ? "" : req.target.slice(q + 1);
  const headers = signedHeaders.map((name) => `${name}:${headerValues(req, name).join(",")}\n`).join("");
  return [req.method.toUpperCase(), canonicalUri(path), canonicalQuery(query), headers, signedHeaders.join(";"), sha256Hex(req.body)].join(
    "\n",
  );
}

/** The signature over a canonical request, with the key derived for the credential scope. */
export function signature(canonical: string, amzDate: string, secret: string, region: string, service: string): string {
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

interface Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=a;b, Signature=hex` */
function parseAuthorization(header: string): Authorization | undefined {
  if (!header.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential")?.split("/") ?? [];
  const signedHeaders = fields.get("SignedHeaders")?.split(";") ?? [];
  const sig = fields.get("Signature") ?? "";
  if (credential.length !== 5 || credential[4] !== "aws4_request" || !/^\d{8}$/.test(credential[1])) return undefined;
  if (!signedHeaders.every((h) => /^[a-z0-9-]+$/.test(h)) || !/^[0-9a-f]{64}$/.test(sig)) return undefined;
  const [accessKeyId, date, region, service] = credential;
  return { accessKeyId, date, region, service, signedHeaders, signature: sig };
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const refuse = (type: string, message: string): SigV4Error => ({ type, message });

/**
 * AWS's refusal of a request to `service`, or undefined when its signature is
 * good for `creds` at `now` (ms).
 */
export function sigv4Error(req: SignedRequest, creds: Credentials, service: string, now = Date.now()): SigV4Error | undefined {
  const header = headerValues(req, "authorization");
  if (header.length === 0) return refuse("MissingAuthenticationTokenException", "Missing Authentication Token");
  const auth = header.length === 1 ? parseAuthorization(header[0]) : undefined;
  if (!auth) return refuse("IncompleteSignatureException", "The Authorization header is malformed.");
  if (auth.accessKeyId !== creds.accessKeyId) {
    return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  const tokens = headerValues(req, "x-amz-security-token");
  if (tokens.length > 1 || (tokens[0] ?? undefined) !== creds.sessionToken) {
    return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  const [amzDate] = headerValues(req, "x-amz-date");
  const parts = AMZ_DATE.exec(amzDate ?? "");
  if (!parts) return refuse("IncompleteSignatureException", "X-Amz-Date must be in ISO-8601 basic format.");
  if (!auth.signedHeaders.includes("host") || !auth.signedHeaders.includes("x-amz-date")) {
    return refuse("IncompleteSignatureException", "Host and X-Amz-Date must be signed headers.");
  }
  const at = Date.UTC(+parts[1], +parts[2] - 1, +parts[3], +parts[4], +parts[5], +parts[6]);
  if (Math.abs(at - now) > MAX_SKEW_MS) return refuse("InvalidSignatureException", "Signature expired or not yet current.");
  if (auth.date !== amzDate.slice(0, 8) || auth.region !== creds.region || auth.service !== service) {
    return refuse("InvalidSignatureException", "The credential scope does not match the request.");
  }
  if (auth.signedHeaders.some((name) => headerValues(req, name).length === 0)) {
    return refuse("InvalidSignatureException", "A signed header is missing from the request.");
  }
  let canonical: string;
  try {
    canonical = canonicalRequest(req, auth.signedHeaders);
  } catch {
    return refuse("InvalidSignatureException", "The request cannot be canonicalised."); // malformed %-escapes
  }
  const expected = Buffer.from(signature(canonical, amzDate, creds.secretAccessKey, creds.region, service), "hex");
  const given = Buffer.from(auth.signature, "hex");
  if (!timingSafeEqual(expected, given)) {
    return refuse("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
  }
  return undefined;
}
