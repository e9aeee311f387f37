import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import proxyaddr from 'proxy-addr';
import { countInMinute } from '../http/rate-limit.js';
import { rateLimitBucket } from '../http/rate-limit-bucket.js';
import type { TrustProxy } from '../http/trust-proxy.js';

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

/**
 * True while this client has made no more than `limit` handshakes this minute (all replicas
 * counted). The client is found as Express finds `req.ip`, with the same trust decision
 * (TRUST_PROXY), and counted under the same bucket as its payments (an IPv6 /64).
 */
export async function handshakeAllowed(redis: Redis, scope: string, req: IncomingMessage, limit: number, trustProxy: TrustProxy): Promise<boolean> {
  const counted = await countInMinute(redis, `${scope}handshake:${rateLimitBucket(proxyaddr(req, trustProxy))}`);
  return counted === null || counted.count <= limit;
}
