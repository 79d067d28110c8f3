// The cognito-edge Worker as it is published: its fetch handler, the Durable
// Object classes this Worker must export (the per-account limiter and the
// worldwide SMS budget, the session registry) and the RPC entrypoint.
export { AccountLimiter, AuthService, default, SessionRegistry, SmsBudget } from "cognito-edge";
