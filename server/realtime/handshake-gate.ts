import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { SocketErrorCode } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { handshakeAllowed, originAllowed } from './handshake-guards.js';

export interface HandshakeGateDeps {
  redis: Redis;
  rateLimitScope: string;
  handshakesPerMinute: number;
  trustProxy: string[];
  extraOrigins: readonly string[];
  logger: Logger;
}

/** The Engine.IO connection as far as the gate uses it. */
interface EngineConnection {
  request: IncomingMessage;
  send(data: string): void;
  close(): void;
}

/**
 * Checks each Engine.IO handshake (a request without a sid: long-polling requests of an open
 * connection carry one and are not counted) before any Socket.IO work. Socket.IO restores a
 * session (Redis reads and deletes through the adapter) as soon as the CONNECT packet names one,
 * before its middlewares run, so a limit kept in a middleware came after Redis work any client
 * can trigger at will. Here:
 * - another site's origin is refused outright (HTTP 403);
 * - a client past its handshakes per minute still completes the Engine.IO handshake, but gets
 *   no Socket.IO client: it is sent TOO_MANY_CONNECTIONS as a CONNECT_ERROR, which the page
 *   shows as it did, and the connection is closed, so nothing it sends is read.
 * A limit that cannot be counted (Redis down) lets the handshake through, as before.
 */
export function handshakeGate(deps: HandshakeGateDeps): {
  allowRequest: (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => void;
  admit: (conn: EngineConnection) => boolean;
} {
  const overLimit = new WeakSet<IncomingMessage>();
  return {
    allowRequest(req, callback) {
      if (!originAllowed(req, deps.extraOrigins)) {
        callback('ORIGIN_NOT_ALLOWED', false);
        return;
      }
      handshakeAllowed(deps.redis, deps.rateLimitScope, req, deps.handshakesPerMinute, deps.trustProxy).then(
        (allowed) => {
          if (!allowed) overLimit.add(req);
          callback(null, true);
        },
        (err: unknown) => {
          deps.logger.warn({ err }, 'socket handshake limit could not be counted; letting the handshake through');
          callback(null, true);
        },
      );
    },
    admit(conn) {
      if (!overLimit.has(conn.request)) return true;
      // A Socket.IO v5 CONNECT_ERROR ("4") for the main namespace, inside an Engine.IO message ("4").
      conn.send(`4${JSON.stringify({ message: 'TOO_MANY_CONNECTIONS' satisfies SocketErrorCode })}`);
      conn.close();
      return false;
    },
  };
}
