import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { SocketErrorCode } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import type { TrustProxy } from '../http/trust-proxy.js';
import { handshakeAllowed, originAllowed } from './handshake-guards.js';

export interface HandshakeGateDeps {
  redis: Redis;
  rateLimitScope: string;
  handshakesPerMinute: number;
  trustProxy: TrustProxy;
  extraOrigins: readonly string[];
  logger: Logger;
}

/** The Engine.IO connection as far as the gate uses it. */
interface EngineConnection {
  request: IncomingMessage;
  send(data: string): void;
  close(): void;
  listeners(event: 'data'): Array<(data: unknown) => void>;
  removeAllListeners(event: 'data'): unknown;
  on(event: 'data', listener: (data: unknown) => void): unknown;
}

/**
 * CONNECT packets one Engine.IO connection may send: one per namespace (the page's "/", the live
 * view's "/ops"). Socket.IO accepts another CONNECT after each refusal, and each one restores a
 * session and checks a secret, so without a cap one counted handshake would allow unlimited guesses.
 */
const CONNECTS_PER_CONNECTION = 2;

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
  capConnects: (conn: EngineConnection) => void;
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
    capConnects(conn) {
      // Socket.IO's client has just subscribed to the connection's data: put the cap in front of it.
      const forward = conn.listeners('data');
      conn.removeAllListeners('data');
      let connects = 0;
      conn.on('data', (data) => {
        // A Socket.IO v5 CONNECT packet is a string starting with its type, "0".
        if (typeof data === 'string' && data.startsWith('0') && ++connects > CONNECTS_PER_CONNECTION) {
          deps.logger.info({ address: conn.request.socket.remoteAddress }, 'socket connection closed: too many CONNECT packets');
          conn.close();
          return;
        }
        for (const listener of forward) listener.call(conn, data);
      });
    },
  };
}
