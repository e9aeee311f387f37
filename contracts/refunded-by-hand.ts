/** The operators' record of a refund made by hand (POST /ops/api/payments/:paymentId/refunded-by-hand). */
import { z } from 'zod';

export const RefundedByHandRequest = z.strictObject({
  refundId: z
    .string()
    .trim()
    .min(1, 'must be the id Billing Gates gave the refund you made')
    .max(200)
    .describe("Billing Gates' id of the refund the operator made by hand"),
});
export type RefundedByHandRequest = z.infer<typeof RefundedByHandRequest>;

export const RefundedByHandRecorded = z.object({
  paymentId: z.uuid(),
  /** The RefundedByHand event published; the payment moves to refunded once the BFF has read it. */
  eventId: z.uuid(),
});
export type RefundedByHandRecorded = z.infer<typeof RefundedByHandRecorded>;

/** Why a record of a refund made by hand is refused, beyond a bad request or no session. */
export const REFUNDED_BY_HAND_ERROR_CODES = ['PAYMENT_NOT_FOUND', 'PAYMENT_NOT_REFUND_FAILED', 'REFUND_NOT_RECORDED', 'STORE_UNAVAILABLE'] as const;
export type RefundedByHandErrorCode = (typeof REFUNDED_BY_HAND_ERROR_CODES)[number];
