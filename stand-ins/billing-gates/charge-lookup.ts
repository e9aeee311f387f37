import type { RequestHandler } from 'express';
import { rememberPaymentId } from '../../lib/request-log.js';
import { sendError } from '../common/errors.js';
import type { BillingBook } from './book.js';

interface ChargeLookupDeps {
  book: BillingBook;
}

/**
 * GET /charges/:idempotencyKey: what became of a charge request, so a caller that never read the
 * answer can learn it without charging again. 404 CHARGE_NOT_FOUND means nothing was charged
 * (nor declined) under that key.
 */
export function chargeLookupHandler({ book }: ChargeLookupDeps): RequestHandler<{ idempotencyKey: string }> {
  return (req, res) => {
    const { idempotencyKey } = req.params;
    const record = book.chargesByKey.get(idempotencyKey);
    if (record === undefined) {
      sendError(res, 404, 'CHARGE_NOT_FOUND', `Nothing was charged under the idempotency key ${idempotencyKey}.`);
      return;
    }
    rememberPaymentId(res, record.paymentId);
    const { paymentId, amount, outcome } = record;
    res.status(200).json({ idempotencyKey, paymentId, amount, ...outcome });
  };
}
