// Challenge sessions shaped like Cognito's. A real `Session` is an AWS
// Encryption SDK message (message format version 1, AWS Encryption SDK
// developer guide, "Message format reference"), in standard base64: the
// header (version 0x01, type 0x80, algorithm suite 0x0178, a 16-byte random
// message ID, the encryption context, one encrypted data key from the
// `aws-kms` provider naming the KMS key's ARN, content type, frame length, and
// the header's IV and tag), then a final frame and the footer's signature.
// Only the message ID, the encrypted data key, IVs, ciphertext, tags and
// signature are random: the rest, "CognitoUserPools" and the key's ARN among
// it, is the same in every session, which is what tells a real session from a
// random string. The frame's ciphertext is as long as its plaintext (AES-GCM);
// here it grows with the username, as an encryption of the flow's state would
// (an assumption: AWS does not document what the session holds).
import { randomBytes } from "node:crypto";

/** Version 1, type 0x80 (customer authenticated encrypted data), suite 0x0178 (AES-256-GCM, HKDF-SHA384, ECDSA P-384). */
export const SESSION_HEADER = Buffer.from([0x01, 0x80, 0x01, 0x78]);
/** The encryption context (additional authenticated data) every session carries. */
export const ENCRYPTION_CONTEXT: [string, string][] = [["Service", "CognitoUserPools"]];
export const KEY_PROVIDER = "aws-kms";
/** The KMS key of the fictional account the pools' sessions are encrypted under. */
export const KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/4f5d3c2b-8a1e-4b6f-9c7d-2e1f0a9b8c7d";

/** A KMS ciphertext blob of a 256-bit data key. */
const ENCRYPTED_KEY_BYTES = 184;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FRAME_LENGTH = 4096;
/** An ECDSA P-384 signature in DER. */
const SIGNATURE_BYTES = 103;
/** The flow state's fixed part; the username follows it. */
const STATE_BYTES = 200;
/** SessionType: at most 2048 characters. */
const MAX_CHARACTERS = 2048;

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out;
};
const text = (s: string) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);

const context = Buffer.concat([u16(ENCRYPTION_CONTEXT.length), ...ENCRYPTION_CONTEXT.flatMap(([k, v]) => [text(k), text(v)])]);

/** A new session of `username`'s flow (the name it was started with), shaped like Cognito's. */
export function cognitoSession(username = ""): string {
  const header = Buffer.concat([
    SESSION_HEADER,
    randomBytes(16),
    u16(context.length),
    context,
    u16(1),
    text(KEY_PROVIDER),
    text(KMS_KEY_ARN),
    u16(ENCRYPTED_KEY_BYTES),
    randomBytes(ENCRYPTED_KEY_BYTES),
    Buffer.from([0x02]),
    u32(0),
    Buffer.from([IV_BYTES]),
    u32(FRAME_LENGTH),
    randomBytes(IV_BYTES + TAG_BYTES),
  ]);
  const fixed = header.length + 4 + 4 + IV_BYTES + 4 + TAG_BYTES + 2 + SIGNATURE_BYTES;
  const most = Math.floor((MAX_CHARACTERS * 3) / 4) - fixed;
  const contentLength = Math.min(STATE_BYTES + Buffer.byteLength(username), most);
  const finalFrame = Buffer.concat([u32(0xffffffff), u32(1), randomBytes(IV_BYTES), u32(contentLength), randomBytes(contentLength + TAG_BYTES)]);
  const footer = Buffer.concat([u16(SIGNATURE_BYTES), randomBytes(SIGNATURE_BYTES)]);
  return Buffer.concat([header, finalFrame, footer]).toString("base64");
}
