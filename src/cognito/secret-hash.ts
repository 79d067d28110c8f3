import { base64, hmac } from "../crypto";

/**
 * Cognito's SECRET_HASH: Base64(HMAC-SHA256(key = client secret, message = username + client id)).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
export async function secretHash(username: string, clientId: string, clientSecret: string): Promise<string> {
  return base64(await hmac(clientSecret, username + clientId));
}
