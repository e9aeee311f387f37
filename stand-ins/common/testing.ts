import type { RequestListener } from 'node:http';
import { closeServer, listen } from '../../lib/http-server.js';
import { createLogger, type Logger } from '../../lib/logger.js';

export interface RunningServer {
  url: string;
  close: () => Promise<void>;
}

/** Serves an app on a free port for a test. */
export async function startServer(app: RequestListener): Promise<RunningServer> {
  const { server, port } = await listen(app, 0);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/** Set TEST_LOG_LEVEL=debug to see the stand-ins' logs while a test runs. */
export function testLogger(): Logger {
  return createLogger('test', process.env['TEST_LOG_LEVEL'] ?? 'silent');
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}
