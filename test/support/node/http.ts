// Start and stop the helper HTTP servers of globalSetup.
import type { Server } from "node:http";

/** Listens on 127.0.0.1:port. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
}

/** Closes the server, cutting open connections (tests may leave a response hanging on purpose). */
export function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
