// Start and stop the helper HTTP servers of globalSetup.
import type { Server } from "node:http";

/** Listens on 127.0.0.1:port. */
export function listen(server: Server, port: number): Promise<void> {
  // Idle connections stay open until the client (workerd) closes them: with Node's 5 s
  // keep-alive timeout, a connection workerd reuses after a pause could be closed under it
  // ("Network connection lost"). close() below cuts them at teardown.
  server.keepAliveTimeout = 0;
  return new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
}

/** Closes the server, cutting open connections (tests may leave a response hanging on purpose). */
export function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
