/** Cognito's UserContextDataType: what threat protection learns of the user behind the Worker. */
export interface UserContextData {
  IpAddress?: string;
  EncodedData?: string;
}

/** Base64 from Cognito's context-data script in the page (docs/API.md); anything else is not relayed. */
const ENCODED = /^[\w+/=-]{1,8192}$/;
const IP = /^[\da-fA-F:.]{2,45}$/;

/**
 * The UserContextData of a request, or undefined when it has none. Without it
 * Cognito sees every sign-in come from a Cloudflare address, which blinds its
 * adaptive authentication and per-IP protections. EncodedData is relayed from
 * the X-Cognito-Context-Data header; IpAddress (CF-Connecting-IP) only with
 * `sendIp`, since Cognito takes it only from a client with a secret and
 * EnablePropagateAdditionalUserContextData. Neither is ever logged.
 */
export function userContextData(headers: Headers, sendIp: boolean): UserContextData | undefined {
  const encoded = headers.get("X-Cognito-Context-Data") ?? "";
  const ip = (sendIp && headers.get("CF-Connecting-IP")) || "";
  const data: UserContextData = {};
  if (ENCODED.test(encoded)) data.EncodedData = encoded;
  if (IP.test(ip)) data.IpAddress = ip;
  return data.EncodedData || data.IpAddress ? data : undefined;
}
