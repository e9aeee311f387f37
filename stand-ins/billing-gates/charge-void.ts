import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { sendError } from '../common/errors.js';
import { parseBody } from '../common/validate.js';
import { describeCharge, type BillingBook } from './book.js';
import type { Challenges } from './challenges.js';
import type { BillingLedger } from './ledger-kinds.js';

export const VoidRequest = z.object({ paymentId: z.string().min(1).max(200) });

interface ChargeVoidDeps {
  book: BillingBook;
  ledger: BillingLedger;
  challenges: Pick<Challenges, 'expireIfDue'>;
  logger: Logger;
}

/**
 * POST /charges/:idempotencyKey/void: closes a key so that nothing can be charged under it, or
 * says what was done under it already, as a card processor's cancel-by-key does. A key with no
 * charge, or with a pending one, is voided (ledger `void`) and a charge under it later answers
 * 409 CHARGE_VOIDED; a key already charged or declined is answered with its state and left as it
 * is. The answer has the lookup's body. It reads and writes the book without awaiting in between,
 * and a charge held on its way looks the key up only when it is made, so whichever comes first
 * decides, and the void's answer says which. A pending charge's challenge answered later finds it
 * voided and changes nothing; one past its time is settled as abandoned first, and not voided.
 */
export function chargeVoidHandler({ book, ledger, challenges, logger }: ChargeVoidDeps): RequestHandler<{ idempotencyKey: string }> {
  return (req, res) => {
    const request = parseBody(VoidRequest, req, res);
    if (request === undefined) return;
    const { idempotencyKey } = req.params;
    const { paymentId } = request;
    rememberPaymentId(res, paymentId);
    const log = logger.child({ paymentId, idempotencyKey });

    challenges.expireIfDue(idempotencyKey);
    const record = book.chargesByKey.get(idempotencyKey);
    if (record !== undefined && record.paymentId !== paymentId) {
      log.warn('void of a key that belongs to another payment refused');
      sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED', `The idempotency key ${idempotencyKey} belongs to another payment.`);
      return;
    }
    if (record === undefined) {
      const voided = { idempotencyKey, paymentId, outcome: { status: 'voided' as const } };
      book.chargesByKey.set(idempotencyKey, voided);
      ledger.record('void', paymentId, { idempotencyKey });
      log.info('key voided before any charge; nothing can be charged under it');
      res.status(200).json(describeCharge(voided));
      return;
    }
    if (record.outcome.status === 'requires_action') {
      const { chargeId } = record.outcome;
      const voided = { ...record, outcome: { status: 'voided' as const } };
      book.chargesByKey.set(idempotencyKey, voided);
      ledger.record('void', paymentId, { idempotencyKey, chargeId });
      log.info({ chargeId }, 'pending charge voided; nothing was taken');
      res.status(200).json(describeCharge(voided));
      return;
    }
    log.info({ outcome: record.outcome }, 'void of a key already settled; nothing changed');
    res.status(200).json(describeCharge(record));
  };
}
