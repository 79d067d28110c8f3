// The cognito-edge Worker as it is published: its fetch handler, the per-account
// limiter (a Durable Object class this Worker must export) and the RPC entrypoint.
export { AccountLimiter, AuthService, default } from "cognito-edge";
