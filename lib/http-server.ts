import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RequestListener } from 'node:http';

/** Listens on host:port (port 0 picks a free one) and resolves with the bound port. */
export async function listen(handler: RequestListener | Server, port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return { server, port: address.port };
}

/** How often connections that have gone idle are closed while a server stops. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting connections, lets the requests in flight finish, and closes each keep-alive
 * connection as soon as it is idle. `server.close()` alone closes only the connections idle at
 * that moment: a client that keeps sending on its connection keeps it, and the server, open
 * until the keep-alive timeout. Requests that still arrive on such a connection are served, with
 * `Connection: close`, so their clients open a new one, to another replica.
 */
export async function closeServer(server: Server, options: CloseOptions = {}): Promise<void> {
  if (!server.listening) return;
  const lastOnThisConnection = (_req: IncomingMessage, res: ServerResponse) => res.setHeader('Connection', 'close');
  server.prependListener('request', lastOnThisConnection);
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  const force = options.forceAfterMs === undefined ? undefined : setTimeout(() => server.closeAllConnections(), options.forceAfterMs);
  try {
    await new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
    });
  } finally {
    clearInterval(sweep);
    clearTimeout(force);
    server.off('request', lastOnThisConnection);
  }
}

export interface CloseOptions {
  /**
   * How long requests in flight may take to finish; then their connections are closed unanswered.
   * Default: as long as they take, which a client sending its body slowly makes forever.
   */
  forceAfterMs?: number;
}
