import { createApp } from "./app";

export { AuthService } from "./rpc";

const app = createApp();

export default app satisfies ExportedHandler<Env>;
