// The cognito-edge Worker as it is published: its fetch handler, the Durable
// Object classes this Worker must export (the per-account limiter and the
// worldwide SMS budget) and the RPC entrypoint.
export { AccountLimiter, AuthService, default, SmsBudget } from "cognito-edge";
