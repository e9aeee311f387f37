/**
 * The live view's socket events (the BFF's Socket.IO namespace `/ops`): the board when an operator
 * connects, then every move of every payment and every error, from whichever replica saw it.
 */
import type { OpsMove } from './ops-move.js';
import type { OpsSeries } from './ops-series.js';
import type { PaymentStatusName } from './payment-status.js';

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
