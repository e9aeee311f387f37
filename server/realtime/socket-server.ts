import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { SocketAuth, type ClientToServerEvents, type PaymentSnapshot, type ServerToClientEvents, type SocketErrorCode } from '../../contracts/index.js';
import { PayflowError } from '../../contracts/payflow-error.js';
import type { Logger } from '../../lib/logger.js';
import type { TrustProxy } from '../http/trust-proxy.js';
import type { BffMetrics } from '../metrics.js';
import type { ClientSecrets } from '../payments/client-secret.js';
import type { PaymentStore } from '../payments/payment-store.js';
import { isPayer } from '../payments/read-payment.js';
import type { RevealSnapshot } from '../status/reveal-snapshot.js';
import { handshakeGate } from './handshake-gate.js';
import { missedPacketsGate, releaseMissedPackets } from './missed-packets-gate.js';
import { revealingAdapter } from './revealing-adapter.js';

type InterServerEvents = Record<string, never>;
interface SocketData {
  paymentId: string;
}
export type PaymentSocketServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type PaymentSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketServerDeps {
  payments: PaymentStore;
  /** Checks the client secret at the handshake, without reading Redis. */
  secrets: ClientSecrets;
  /** A connection of the adapter's own; it duplicates it for its blocking stream reads. */
  adapterRedis: Redis;
  /** Keeps the adapter's stream, channels and sessions apart per deployment (KAFKA_TOPIC_PREFIX). */
  keyPrefix: string;
  logger: Logger;
  metrics: BffMetrics;
  reveal: RevealSnapshot;
  /** For the handshake rate limit. */
  redis: Redis;
  handshakesPerMinute: number;
  /** Which hops' X-Forwarded-For to believe: the one Express has for req.ip (TRUST_PROXY). */
  trustProxy: TrustProxy;
  /** Names this deployment's counters in Redis. */
  rateLimitScope: string;
  /** Origins besides the BFF's own that may open sockets (the page served elsewhere). */
  extraOrigins: readonly string[];
}

/**
 * How long a disconnected socket's session (its rooms, and the pushes it missed) is kept for it
 * to resume on any replica. The stream keeps the last STREAM_MAX_LEN pushes of all payments; a
 * client whose last push has been trimmed away resumes from the snapshot sent on join instead.
 */
const RECOVERY_WINDOW_MS = 2 * 60_000;
const STREAM_MAX_LEN = 10_000;

export function roomOf(paymentId: string): string {
  return `payment:${paymentId}`;
}

/**
 * Shoppers' sockets. A socket proves it belongs to the payer with the client secret at the
 * handshake, joins its payment's room, and gets the current snapshot at once; later changes
 * reach the room through the Redis Streams adapter from whichever replica projected them.
 *
 * The Streams adapter, not the Pub/Sub one: it supports connection state recovery (a socket cut
 * off from a stopping replica resumes on another with the pushes it missed), and it resumes its
 * stream after a Redis restart instead of dropping what was published meanwhile. The snapshot
 * on join stays, for what recovery cannot cover (a replica killed outright keeps no session).
 */
export function createSocketServer(httpServer: HttpServer, deps: SocketServerDeps): PaymentSocketServer {
  const gate = handshakeGate(deps);
  const io: PaymentSocketServer = new Server({
    serveClient: false,
    maxHttpBufferSize: 4_096,
    // Snapshots are broadcast with the SSO token sealed, and opened on the replica that hands
    // them to the payer's socket: the stream never holds the token in clear. A resumed session's
    // missed pushes wait until the middlewares have let its socket in.
    adapter: missedPacketsGate(
      revealingAdapter(
        createAdapter(deps.adapterRedis, {
          streamName: `${deps.keyPrefix}socket.io`,
          channelPrefix: `${deps.keyPrefix}socket.io`,
          sessionKeyPrefix: `${deps.keyPrefix}sio:session:`,
          maxLen: STREAM_MAX_LEN,
          // A stopped replica lets go of its blocking read within a second (default 5 s).
          blockTimeInMs: 1_000,
        }),
        deps.reveal,
        roomOf,
      ),
    ),
    // The middleware below runs on a resumed connection too: the secret is checked every time,
    // before the pushes it missed are sent (missed-packets-gate.ts).
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    // Origin and rate limit, before any Socket.IO work (session restore included).
    allowRequest: gate.allowRequest,
  });

  // Socket.IO hands each Engine.IO connection to its onconnection; one over the limit never gets
  // that far. Replaced before attach(), which binds it to the engine's "connection" event.
  const socketIo = io as unknown as { onconnection: (conn: Parameters<typeof gate.admit>[0]) => void };
  const onconnection = socketIo.onconnection.bind(io);
  socketIo.onconnection = (conn) => {
    if (!gate.admit(conn)) return;
    onconnection(conn);
    gate.capConnects(conn);
  };
  io.attach(httpServer);

  io.use((socket, next) => {
    // A resumed session comes back in its payment's room: only that payment's payer may have it.
    const resumedFor = socket.recovered ? socket.data.paymentId : undefined;
    try {
      socket.data.paymentId = authenticate(deps.secrets, socket.handshake.auth, resumedFor);
    } catch (err) {
      const code: SocketErrorCode = err instanceof SocketAuthError ? err.code : 'UNAVAILABLE';
      if (code === 'UNAVAILABLE') deps.logger.error({ err }, 'socket handshake failed');
      // The paymentId it claimed, never the secret it gave.
      else deps.logger.info({ code, paymentId: claimedPaymentId(socket.handshake.auth) }, 'socket refused at the handshake');
      next(new Error(code));
      return;
    }
    next();
  });

  io.on('connection', (socket) => {
    void onConnection(socket, deps);
  });
  return io;
}

async function onConnection(socket: PaymentSocket, deps: SocketServerDeps): Promise<void> {
  releaseMissedPackets(socket);
  const { paymentId } = socket.data;
  const logger = deps.logger.child({ paymentId, socketId: socket.id, recovered: socket.recovered });
  deps.metrics.socketsConnected.inc();
  socket.on('disconnect', (reason) => {
    deps.metrics.socketsConnected.dec();
    logger.debug({ reason }, 'socket disconnected');
  });
  // Join before reading, so a change made between the read and the join is not missed.
  await socket.join(roomOf(paymentId));
  try {
    const snapshot = await deps.payments.snapshot(paymentId);
    if (snapshot !== null) {
      sendToSocket(socket, snapshot);
      deps.metrics.pushes.inc({ kind: 'join' });
    }
    logger.info({ status: snapshot?.status }, 'socket joined its payment');
  } catch (err) {
    logger.error({ err }, 'could not send the current snapshot; the next change will');
  }
}

/** A handshake refused for its credentials: the client is told only the code, from the allow-list. */
class SocketAuthError extends PayflowError<SocketErrorCode> {
  constructor(code: SocketErrorCode) {
    super(code, code, { retryable: false });
  }
}

/**
 * The paymentId a handshake proves it pays for. The secret is computed, not read (client-secret.ts),
 * so the handshake asks Redis nothing: the snapshot is read once the socket has joined its room
 * (onConnection), and a payer whose payment Redis no longer holds is let in and sent nothing, as when
 * only its snapshot was lost.
 */
function authenticate(secrets: ClientSecrets, auth: unknown, resumedFor: string | undefined): string {
  const parsed = SocketAuth.safeParse(auth);
  if (!parsed.success) throw new SocketAuthError('INVALID_AUTH');
  if (resumedFor !== undefined && resumedFor !== parsed.data.paymentId) throw new SocketAuthError('PAYMENT_NOT_FOUND');
  if (!isPayer(secrets, parsed.data.paymentId, parsed.data.clientSecret)) throw new SocketAuthError('PAYMENT_NOT_FOUND');
  return parsed.data.paymentId;
}

function claimedPaymentId(auth: unknown): string | undefined {
  const paymentId = (auth as { paymentId?: unknown } | null)?.paymentId;
  return typeof paymentId === 'string' ? paymentId.slice(0, 64) : undefined;
}

/**
 * Sends a stored (sealed) snapshot to one socket of this replica, as a local broadcast to the
 * socket's own room: the adapter hands it to the socket here (revealing-adapter.ts opens the token
 * on the way) and writes nothing to its stream. With connection state recovery, `socket.emit` is a
 * broadcast through the stream like any push: one XADD, and a read on every replica, for a packet
 * only this replica delivers. So the snapshot carries no stream offset; a client that has had no
 * push since cannot resume its session, and gets the snapshot on join again when it reconnects.
 */
function sendToSocket(socket: PaymentSocket, snapshot: PaymentSnapshot): void {
  socket.nsp.local.to(socket.id).emit('payment:status', snapshot);
}

/** Broadcasts a stored (sealed) snapshot to its payment's room; each replica opens it for its own sockets. */
export function pushSnapshot(io: PaymentSocketServer, snapshot: PaymentSnapshot): void {
  io.to(roomOf(snapshot.paymentId)).emit('payment:status', snapshot);
}
