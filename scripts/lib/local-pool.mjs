// The user pool and app client `npm start` keeps in cognito-local
// (.cognito-dev/), and whether one made by an older version still has what
// the local flows need. Node only.
import { cognitoCall, createClient, createPool } from "../cognito-local.mjs";

/** What the local flows need of the pool and its app client: the test suite's settings. */
const NEEDS = [
  ["phone numbers as usernames", (pool) => pool.UsernameAttributes?.includes("phone_number")],
  ["optional MFA (the TOTP challenge at sign-in)", (pool) => pool.MfaConfiguration === "OPTIONAL"],
  ["ALLOW_USER_AUTH on the app client (one-time codes, passkeys)", (_, client) => client.ExplicitAuthFlows?.includes("ALLOW_USER_AUTH")],
];

/** Creates the local pool (email or phone number as username, MFA optional, an admin group) and its public app client. */
export async function createLocalPool(endpoint) {
  const poolId = await createPool(endpoint, { name: "cognito-edge-dev", mfa: "OPTIONAL" });
  const { clientId } = await createClient(endpoint, poolId);
  return { poolId, clientId };
}

/** What a kept pool and client lack of NEEDS, in words (empty when they fit); rejects when either is gone. */
export async function missingFrom(endpoint, { poolId, clientId }) {
  const { UserPool } = await cognitoCall(endpoint, "DescribeUserPool", { UserPoolId: poolId });
  const { UserPoolClient } = await cognitoCall(endpoint, "DescribeUserPoolClient", { UserPoolId: poolId, ClientId: clientId });
  return NEEDS.filter(([, has]) => !has(UserPool, UserPoolClient)).map(([what]) => what);
}
