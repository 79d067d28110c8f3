// The script's own calls to Cognito: IAM-authorised admin operations, signed
// with SigV4 by aws4fetch, as the Worker signs its admin calls.
import { AwsClient } from "aws4fetch";

/**
 * A caller of admin operations on the configured pool. Resolves to
 * `{ status, type, body, ms }`; `type` is Cognito's error type (e.g.
 * UserNotFoundException) when the call failed.
 * @param {import("./env.mjs").LiveConfig} config
 */
export function adminCaller(config) {
  // No retries: a failure must show as it is, and every call here is cheap to repeat by hand.
  const client = new AwsClient({ ...config.aws, service: "cognito-idp", region: config.region, retries: 0 });
  return async (op, input) => {
    const started = performance.now();
    const res = await client.fetch(config.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${op}` },
      body: JSON.stringify({ UserPoolId: config.poolId, ...input }),
    });
    const body = await res.json().catch(() => ({}));
    const type = typeof body.__type === "string" ? body.__type.split("#").pop() : undefined;
    return { status: res.status, type, body, ms: performance.now() - started };
  };
}
