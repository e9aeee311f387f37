import type { RequestListener } from 'node:http';
import { closeServer, listen } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';

export interface ServeOptions {
  name: string;
  host: string;
  port: number;
  logger: Logger;
}

/** Listens and returns what lib/main.ts runMain needs to stop the stand-in on SIGTERM. */
export async function serveStandIn(app: RequestListener, { name, host, port, logger }: ServeOptions) {
  const { server, port: boundPort } = await listen(app, port, host);
  logger.info({ host, port: boundPort }, `${name} listening on http://${host}:${boundPort}`);
  return { logger, stop: () => closeServer(server) };
}
