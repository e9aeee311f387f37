import { z } from 'zod';
import type { DownstreamClient } from './downstream-client.js';
import { expectOk } from './expect-ok.js';

const CancelAnswer = z.discriminatedUnion('status', [
  // orderId null: the payment had no order yet, and now may never have one.
  z.object({ status: z.literal('cancelled'), orderId: z.string().min(1).nullable() }),
  z.object({ status: z.literal('confirmed'), orderId: z.string().min(1) }),
]);

/** The payment's order once it was asked to be given up: cancelled for good, or confirmed (and left so). */
export type CancelOutcome = z.infer<typeof CancelAnswer>;

/** Gives a payment's order up in Udi (POST /orders/cancel), as both workers do before anything is refunded. */
export type CancelOrder = (paymentId: string, signal?: AbortSignal) => Promise<CancelOutcome>;

/**
 * Udi's cancel-or-report: an unconfirmed order is cancelled, a payment without one is barred from
 * having one, a confirmed order is reported. It is the decision itself, made where the order lives,
 * so a create or a confirmation still on its way inside Udi, or a redo of the record, cannot
 * confirm the order after the give-up is published. A 5xx or no answer is transient (asking again
 * is harmless: the same answer, nothing more changed); a 4xx is a PermanentError.
 */
export function udiCancelOrder(udi: DownstreamClient): CancelOrder {
  return async (paymentId, signal) => expectOk('udi', await udi.post('/orders/cancel', { paymentId }, signal), CancelAnswer, 'cancellation');
}
