import type { PaymentSnapshot } from './payment-status.js';

/** Error codes a client may see when the handshake is refused (an allow-list, never raw messages). */
export const SOCKET_ERROR_CODES = ['INVALID_AUTH', 'PAYMENT_NOT_FOUND', 'TOO_MANY_CONNECTIONS', 'UNAVAILABLE'] as const;
export type SocketErrorCode = (typeof SOCKET_ERROR_CODES)[number];

export interface ServerToClientEvents {
  'payment:status': (snapshot: PaymentSnapshot) => void;
}

/** The browser only listens; it sends nothing after the handshake. */
export type ClientToServerEvents = Record<string, never>;
