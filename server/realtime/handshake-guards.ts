import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import { countInMinute } from '../http/rate-limit.js';

/**
 * Browsers send Origin with every WebSocket and polling request. The checkout page is served by
 * the BFF itself, so its origin's host is the Host it asked for (through the load balancer too,
 * which passes Host on); anything else is another site's page trying to use a shopper's browser.
 * `extraOrigins` lets a deployment serve the page from elsewhere. No Origin: not a browser.
 */
export function originAllowed(req: IncomingMessage, extraOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (extraOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The client's address; behind a load balancer on loopback, the one it forwarded. */
export function clientAddress(req: IncomingMessage): string {
  const remote = req.socket.remoteAddress ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  const isLoopback = remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
  if (isLoopback && typeof forwarded === 'string') return forwarded.split(',')[0]!.trim();
  return remote;
}

/** True while this address has made no more than `limit` handshakes this minute (all replicas counted). */
export async function handshakeAllowed(redis: Redis, scope: string, req: IncomingMessage, limit: number): Promise<boolean> {
  const counted = await countInMinute(redis, `${scope}handshake:${clientAddress(req)}`);
  return counted === null || counted.count <= limit;
}
