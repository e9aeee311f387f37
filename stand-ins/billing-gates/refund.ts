import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import type { ControlReader } from '../common/control.js';
import { sendError } from '../common/errors.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { parseBody } from '../common/validate.js';
import type { BillingBook, RefundRecord } from './book.js';
import type { BillingControl } from './control.js';
import { newId } from './ids.js';
import type { BillingLedger } from './ledger-kinds.js';

export const RefundRequest = z.object({
  idempotencyKey: z.string().min(1).max(255),
  chargeId: z.string().min(1).max(200),
  paymentId: z.string().min(1).max(200),
});
export type RefundRequest = z.infer<typeof RefundRequest>;

interface RefundDeps {
  book: BillingBook;
  ledger: BillingLedger;
  control: ControlReader & { readonly current: Readonly<BillingControl> };
  logger: Logger;
}

/** POST /refunds: returns the whole amount of a charge, once. Idempotent by key like charges. */
export function refundHandler({ book, ledger, control, logger }: RefundDeps): RequestHandler {
  return (req, res) => {
    const request = parseBody(RefundRequest, req, res);
    if (request === undefined) return;
    const { idempotencyKey, chargeId, paymentId } = request;
    rememberPaymentId(res, paymentId);
    const log = logger.child({ paymentId, idempotencyKey, chargeId });

    const previous = book.refundsByKey.get(idempotencyKey);
    if (previous !== undefined) {
      if (previous.chargeId !== chargeId || previous.paymentId !== paymentId) {
        log.warn('idempotency key reused for a different refund');
        sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different refund.');
        return;
      }
      log.info({ refundId: previous.refundId }, 'refund replayed; nothing refunded again');
      res.status(200).json({ refundId: previous.refundId });
      return;
    }

    if (control.current.refuseRefunds) {
      ledger.record('refund-refused', paymentId, { chargeId, idempotencyKey });
      log.info('refund refused (refuseRefunds set through POST /__control)');
      sendError(res, 422, 'REFUND_REFUSED', `Refunds are refused (refuseRefunds set through POST /__control); charge ${chargeId} was not refunded.`);
      return;
    }

    const charge = book.succeededCharges.get(chargeId);
    if (charge === undefined) {
      sendError(res, 404, 'CHARGE_NOT_FOUND', `There is no charge ${chargeId}.`);
      return;
    }
    if (charge.paymentId !== paymentId) {
      sendError(res, 422, 'PAYMENT_MISMATCH', `Charge ${chargeId} belongs to another payment.`);
      return;
    }
    const earlier = book.refundsByChargeId.get(chargeId);
    if (earlier !== undefined) {
      log.warn({ refundId: earlier.refundId }, 'charge already refunded under another idempotency key');
      sendError(res, 409, 'CHARGE_ALREADY_REFUNDED', `Charge ${chargeId} was already refunded.`, {
        refundId: earlier.refundId,
      });
      return;
    }

    const refund: RefundRecord = { idempotencyKey, refundId: newId('re'), chargeId, paymentId };
    book.refundsByKey.set(idempotencyKey, refund);
    book.refundsByChargeId.set(chargeId, refund);
    ledger.record('refund', paymentId, { refundId: refund.refundId, chargeId, idempotencyKey, amount: charge.amount });
    log.info({ refundId: refund.refundId, amount: charge.amount }, 'refunded');
    res.status(201).json({ refundId: refund.refundId });
  };
}
