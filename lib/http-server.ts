import { createServer, type Server } from 'node:http';
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

/** Stops accepting connections and waits for open ones to finish. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
}
