/**
 * The live view's socket events (the BFF's Socket.IO namespace `/ops`): the board when an operator
 * connects, then every move of every payment and every error, from whichever replica saw it.
 */
import type { OpsSeries } from './ops-series.js';
import type { PaymentStatusName } from './payment-status.js';

/** One payment moving from one status to the next, as the live view shows it. */
export interface OpsMove {
  paymentId: string;
  /** The status it left; null when it was just accepted. */
  from: PaymentStatusName | null;
  to: PaymentStatusName;
  /** When it moved (ISO 8601). */
  at: string;
  /** Seconds from its 202 to this move, when known. */
  secondsSinceAccepted?: number;
  /** For `failed`, `refunded` and `refund_failed`: why, in the shopper's words. */
  reason?: { code: string; message: string };
}

/** Something that went wrong: a payment that did not go through, or a record sent to a dead-letter topic. */
export interface OpsError {
  at: string;
  source: 'payment' | 'dead-letter';
  code: string;
  message: string;
  paymentId?: string;
  topic?: string;
}

export interface OpsBoard {
  /** Payments in each status now (processing and paid are in flight; the others are terminal). */
  counts: Record<PaymentStatusName, number>;
  /** The latest move of each of the most recent payments, newest first. */
  recent: OpsMove[];
  /** The most recent errors, newest first. */
  errors: OpsError[];
  /** Outcomes and times to confirmed over the last 15 minutes, for the charts. */
  series: OpsSeries;
}

export interface OpsServerToClientEvents {
  'ops:board': (board: OpsBoard) => void;
  'ops:move': (move: OpsMove) => void;
  'ops:error': (error: OpsError) => void;
}

/**
 * The live view mostly listens. Now and then it asks for the charts' series again, so that a move
 * it missed or counted twice (one written just before its board was read and broadcast just
 * after) is put right.
 */
export interface OpsClientToServerEvents {
  'ops:series': (ack: (series: OpsSeries) => void) => void;
}

/**
 * Why the `/ops` handshake was refused: no session in force, or Redis could not say (try again
 * shortly). The handshake refuses with these, the page reads them, and the OpenAPI document names them.
 */
export const OPS_SOCKET_ERROR_CODES = ['OPS_UNAUTHORIZED', 'OPS_UNAVAILABLE'] as const;
export type OpsSocketErrorCode = (typeof OPS_SOCKET_ERROR_CODES)[number];

// refund_failed can still become refunded (a refund that lands later), so it ranks below it.
const RANK: Record<PaymentStatusName, number> = { processing: 0, paid: 1, confirmed: 2, failed: 2, refund_failed: 2, refunded: 3 };

/**
 * Of two moves of one payment, the one that got further. Moves can be seen out of order (a
 * payment can be charged before its acceptance is on the board), but a payment only moves forward.
 */
export function furtherMove(a: OpsMove, b: OpsMove): OpsMove {
  return RANK[b.to] > RANK[a.to] ? b : a;
}
