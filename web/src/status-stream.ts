/**
 * Follows one payment's status: Socket.IO first (its long-polling transport connects at once and
 * upgrades to WebSocket where it can, so blocked WebSockets still work), and the status endpoint
 * whenever the socket is not connected. Hands on only newer snapshots (a later status, or a higher
 * `seq` of the same status: a snapshot Redis lost starts its `seq` again) and stops at a terminal
 * status.
 */
import { io, type Socket } from 'socket.io-client';
import { isTerminal, PaymentSnapshot } from '../../contracts/payment-status.js';
import { isNewerSnapshot } from '../../contracts/snapshot-order.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/socket-events.js';
import { fetchSnapshot } from './api.js';
import type { PaymentCredentials } from './payment-session.js';

export interface StatusHandlers {
  onSnapshot(snapshot: PaymentSnapshot): void;
  /** The BFF knows no payment with these credentials (expired, or never accepted). */
  onLost(): void;
}

/** How often the status endpoint is asked while the socket is not connected. */
const POLL_DISCONNECTED_MS = 2_000;
/** How often it is asked while the socket is connected: a cheap check that no change was missed. */
const POLL_CONNECTED_MS = 15_000;
/** A handshake the server refused is not retried by socket.io itself; we try again after this. */
const RECONNECT_AFTER_REFUSAL_MS = 5_000;
/** 404s in a row before the payment counts as lost, so one odd answer does not end the wait. */
const NOT_FOUND_LIMIT = 3;

/** Starts following the payment; call the returned function to stop. */
export function watchPayment(credentials: PaymentCredentials, handlers: StatusHandlers): () => void {
  let shown: PaymentSnapshot | undefined;
  let stopped = false;
  let lastPollAt = Date.now();
  let polling = false;
  let notFoundInARow = 0;
  let reconnectTimer: number | undefined;

  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    auth: { paymentId: credentials.paymentId, clientSecret: credentials.clientSecret },
    transports: ['polling', 'websocket'],
    reconnectionDelayMax: 5_000,
  });

  const stop = () => {
    if (stopped) return;
    stopped = true;
    window.clearInterval(pollTimer);
    window.clearTimeout(reconnectTimer);
    socket.close();
  };

  const accept = (value: unknown) => {
    const parsed = PaymentSnapshot.safeParse(value);
    if (stopped || !parsed.success || parsed.data.paymentId !== credentials.paymentId) return;
    notFoundInARow = 0;
    const snapshot = parsed.data;
    if (!isNewerSnapshot(snapshot, shown)) return; // a repeat, or older than what is shown
    shown = snapshot;
    if (isTerminal(snapshot.status)) stop();
    handlers.onSnapshot(snapshot);
  };

  const poll = async () => {
    if (polling || stopped) return;
    polling = true;
    lastPollAt = Date.now();
    try {
      const snapshot = await fetchSnapshot(credentials);
      if (snapshot !== null) accept(snapshot);
      else if (++notFoundInARow >= NOT_FOUND_LIMIT && !stopped) {
        stop();
        handlers.onLost();
      }
    } catch {
      // The BFF is unreachable right now: the next tick asks again.
    } finally {
      polling = false;
    }
  };

  socket.on('payment:status', accept);
  socket.on('connect_error', () => {
    // `active` is false when the server refused the handshake (INVALID_AUTH, PAYMENT_NOT_FOUND,
    // TOO_MANY_CONNECTIONS, UNAVAILABLE): socket.io gives up, so ask the endpoint now and knock
    // again a little later.
    if (socket.active || stopped) return;
    void poll();
    reconnectTimer = window.setTimeout(() => {
      if (!stopped) socket.connect();
    }, RECONNECT_AFTER_REFUSAL_MS);
  });
  socket.on('disconnect', (reason) => {
    // A replica shutting down closes our socket from its side, which socket.io does not retry.
    if (reason === 'io server disconnect' && !stopped) socket.connect();
  });

  const pollTimer = window.setInterval(() => {
    const every = socket.connected ? POLL_CONNECTED_MS : POLL_DISCONNECTED_MS;
    if (Date.now() - lastPollAt >= every) void poll();
  }, 1_000);

  return stop;
}
