import { createMiddleware } from "hono/factory";

/** Answers that carry personal data must not be kept by any cache on the way (RFC 9111 §5.2.2.5). */
export const noStore = () =>
  createMiddleware(async function noStore(c, next) {
    await next();
    c.header("Cache-Control", "no-store");
  });
