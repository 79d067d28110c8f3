import { createApp } from "./app";

export { AccountLimiter } from "./limits/account-limiter";
export { AuthService } from "./rpc";

const app = createApp();

export default app satisfies ExportedHandler<Env>;
