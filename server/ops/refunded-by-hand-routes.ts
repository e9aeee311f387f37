import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import {
  newEvent,
  PaymentLookupPath,
  RefundedByHandRequest,
  type PaymentEvent,
  type RefundedByHandErrorCode,
  type RefundedByHandRecorded,
} from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { ApiError } from '../http/api-error.js';
import { orStoreUnavailable } from '../http/store-unavailable.js';
import { validate } from '../http/validate.js';
import type { PaymentStore } from '../payments/payment-store.js';
import { operatorOnly } from './operator-only.js';
import type { SignedInOperators } from './signed-in-operators.js';

/** What the shopper is told once an operator has returned the charge by hand. */
export function refundedByHandReason(refundId: string): { code: string; message: string } {
  return { code: 'REFUNDED_BY_SUPPORT', message: `Our support team returned your payment in full (refund ${refundId}).` };
}

export interface RefundedByHandRoutesDeps {
  operators: SignedInOperators;
  payments: PaymentStore;
  publish: (event: PaymentEvent) => Promise<void>;
  logger: Logger;
}

/**
 * POST /ops/api/payments/:paymentId/refunded-by-hand: an operator returned the charge of a
 * `refund_failed` payment by hand in Billing Gates (docs/operations.md, PayflowRefundFailed) and
 * records it, with the refund's id. Publishes RefundedByHand, which moves the payment to `refunded`
 * as any status event does (the status consumer, the shopper's page, the live view, the history).
 * Only a payment in `refund_failed` is taken: for any other the refund was never owed by hand.
 */
export function refundedByHandRoutes({ operators, payments, publish, logger }: RefundedByHandRoutesDeps): Router {
  const router = Router();
  router.post('/ops/api/payments/:paymentId/refunded-by-hand', operatorOnly(operators, logger), async (req, res) => {
    const { paymentId } = validate(PaymentLookupPath, req.params, 'path');
    rememberPaymentId(res, paymentId);
    if (!req.is('application/json')) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the refund as JSON, with Content-Type: application/json.');
    const { refundId } = validate(RefundedByHandRequest, req.body);
    const snapshot = await orStoreUnavailable(
      payments.snapshot(paymentId),
      'The payment cannot be read right now; please try again in a few seconds.',
      logger,
      { paymentId },
    );
    if (snapshot === null)
      throw new ApiError(
        404,
        'PAYMENT_NOT_FOUND' satisfies RefundedByHandErrorCode,
        `No status of payment ${paymentId} is known: the id may be mistyped, or its status has expired.`,
      );
    if (snapshot.status !== 'refund_failed') {
      throw new ApiError(
        409,
        'PAYMENT_NOT_REFUND_FAILED' satisfies RefundedByHandErrorCode,
        `Payment ${paymentId} is ${snapshot.status}, not refund_failed: only a payment whose refund did not go through is returned by hand.`,
      );
    }
    const event = newEvent({ type: 'RefundedByHand', paymentId, correlationId: randomUUID(), data: { refundId, reason: refundedByHandReason(refundId) } });
    await publish(event).catch((err: unknown) => {
      logger.warn({ err, paymentId }, 'refund made by hand not recorded: the event could not be published');
      throw new ApiError(
        503,
        'REFUND_NOT_RECORDED' satisfies RefundedByHandErrorCode,
        'The refund could not be recorded right now (Kafka); record it again in a few seconds: recording it twice changes nothing.',
        undefined,
        { 'Retry-After': '5' },
      );
    });
    logger.info({ paymentId, refundId, eventId: event.eventId }, 'refund made by hand recorded');
    const recorded: RefundedByHandRecorded = { paymentId, eventId: event.eventId };
    res.status(202).json(recorded);
  });
  return router;
}
