import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import {
  SocketAuth,
  type ClientToServerEvents,
  type PaymentSnapshot,
  type ServerToClientEvents,
  type SocketErrorCode,
} from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import type { BffMetrics } from '../metrics.js';
import type { PaymentStore } from '../payments/payment-store.js';
import { readPayment } from '../payments/read-payment.js';
import type { RevealSnapshot } from '../status/reveal-snapshot.js';

type InterServerEvents = Record<string, never>;
interface SocketData {
  paymentId: string;
}
export type PaymentSocketServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type PaymentSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketServerDeps {
  payments: PaymentStore;
  /** Two connections of its own: the adapter subscribes on one and publishes on the other. */
  adapterPub: Redis;
  adapterSub: Redis;
  logger: Logger;
  metrics: BffMetrics;
  reveal: RevealSnapshot;
}

export function roomOf(paymentId: string): string {
  return `payment:${paymentId}`;
}

/**
 * Shoppers' sockets. A socket proves it belongs to the payer with the client secret at the
 * handshake, joins its payment's room, and gets the current snapshot at once; later changes
 * reach the room through the Redis adapter from whichever replica projected them.
 */
export function createSocketServer(httpServer: HttpServer, deps: SocketServerDeps): PaymentSocketServer {
  const io: PaymentSocketServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 4_096,
    adapter: createAdapter(deps.adapterPub, deps.adapterSub),
  });

  io.use((socket, next) => {
    authenticate(deps.payments, socket.handshake.auth).then(
      (paymentId) => {
        socket.data.paymentId = paymentId;
        next();
      },
      (err: unknown) => {
        const code: SocketErrorCode = err instanceof SocketAuthError ? err.code : 'UNAVAILABLE';
        if (code === 'UNAVAILABLE') deps.logger.error({ err }, 'socket handshake failed');
        next(new Error(code));
      },
    );
  });

  io.on('connection', (socket) => {
    void onConnection(socket, deps);
  });
  return io;
}

async function onConnection(socket: PaymentSocket, deps: SocketServerDeps): Promise<void> {
  const { paymentId } = socket.data;
  const logger = deps.logger.child({ paymentId, socketId: socket.id });
  deps.metrics.socketsConnected.inc();
  socket.on('disconnect', () => deps.metrics.socketsConnected.dec());
  // Join before reading, so a change made between the read and the join is not missed.
  await socket.join(roomOf(paymentId));
  try {
    const snapshot = await deps.payments.snapshot(paymentId);
    if (snapshot !== null) socket.emit('payment:status', deps.reveal(snapshot));
    logger.info({ status: snapshot?.status }, 'socket joined its payment');
  } catch (err) {
    logger.error({ err }, 'could not send the current snapshot; the next change will');
  }
}

class SocketAuthError extends Error {
  constructor(readonly code: SocketErrorCode) {
    super(code);
  }
}

async function authenticate(payments: PaymentStore, auth: unknown): Promise<string> {
  const parsed = SocketAuth.safeParse(auth);
  if (!parsed.success) throw new SocketAuthError('INVALID_AUTH');
  const snapshot = await readPayment(payments, parsed.data.paymentId, parsed.data.clientSecret);
  if (snapshot === null) throw new SocketAuthError('PAYMENT_NOT_FOUND');
  return parsed.data.paymentId;
}

export function pushSnapshot(io: PaymentSocketServer, snapshot: PaymentSnapshot): void {
  io.to(roomOf(snapshot.paymentId)).emit('payment:status', snapshot);
}
