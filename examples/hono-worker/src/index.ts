import { Hono } from "hono";
import { requireAuth } from "cognito-edge/verifier";

interface Bindings {
  AWS_REGION: string;
  COGNITO_USER_POOL_ID: string;
  COGNITO_CLIENT_ID: string;
  /** The Worker's own: requireAuth reads only the variables of verification. */
  LOG_LEVEL?: string;
}

const app = new Hono<{ Bindings: Bindings }>();

app.get("/", (c) => c.text("orders-api"));

app.get("/orders", requireAuth(), (c) => c.json({ owner: c.var.auth.claims.sub, orders: [] }));

app.delete("/orders/:id", requireAuth({ groups: ["admin"] }), (c) => c.body(null, 204));

export default app;
