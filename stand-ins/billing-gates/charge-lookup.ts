import type { RequestHandler } from 'express';
import { rememberPaymentId } from '../../lib/request-log.js';
import { sendError } from '../common/errors.js';
import { describeCharge, type BillingBook } from './book.js';
import type { Challenges } from './challenges.js';

interface ChargeLookupDeps {
  book: BillingBook;
  challenges: Pick<Challenges, 'expireIfDue'>;
}

/**
 * GET /charges/:idempotencyKey: what became of a charge request, so a caller that never read the
 * answer can learn it without charging again. 404 CHARGE_NOT_FOUND means nothing was charged,
 * declined or voided under that key (yet: a charge still on its way may land after the answer).
 * A pending charge whose challenge is past its time is settled as abandoned first.
 */
export function chargeLookupHandler({ book, challenges }: ChargeLookupDeps): RequestHandler<{ idempotencyKey: string }> {
  return (req, res) => {
    const { idempotencyKey } = req.params;
    challenges.expireIfDue(idempotencyKey);
    const record = book.chargesByKey.get(idempotencyKey);
    if (record === undefined) {
      sendError(res, 404, 'CHARGE_NOT_FOUND', `Nothing was charged under the idempotency key ${idempotencyKey}.`);
      return;
    }
    rememberPaymentId(res, record.paymentId);
    res.status(200).json(describeCharge(record));
  };
}
