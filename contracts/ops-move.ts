import type { PaymentStatusName } from './payment-status.js';
import { STATUS_RANK } from './snapshot-order.js';

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

/**
 * Of two moves of one payment, the one that got further (the higher STATUS_RANK). Moves can be seen
 * out of order (a payment can be charged before its acceptance is on the board), but a payment only
 * moves forward.
 */
export function furtherMove(a: OpsMove, b: OpsMove): OpsMove {
  return STATUS_RANK[b.to] > STATUS_RANK[a.to] ? b : a;
}
