import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { Money } from '../../contracts/money.js';
import type { Logger } from '../../lib/logger.js';
import type { ControlReader } from '../common/control.js';
import { sendError } from '../common/errors.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { parseBody } from '../common/validate.js';
import type { BillingBook, ChargeRecord } from './book.js';
import type { BillingControl } from './control.js';
import { newId } from './ids.js';
import type { BillingLedger } from './ledger-kinds.js';

export const ChargeRequest = z.object({
  /** The same key never charges twice; the caller derives it from the payment. */
  idempotencyKey: z.string().min(1).max(255),
  paymentId: z.string().min(1).max(200),
  amount: Money,
  /** An opaque token for the payment method, never card numbers. */
  paymentMethodToken: z.string().min(1).max(200),
});
export type ChargeRequest = z.infer<typeof ChargeRequest>;

export const DECLINE_MESSAGE = 'The card was declined by the issuer.';

interface ChargeDeps {
  book: BillingBook;
  ledger: BillingLedger;
  control: ControlReader & { readonly current: Readonly<BillingControl> };
  logger: Logger;
}

function isSameRequest(record: ChargeRecord, request: ChargeRequest): boolean {
  return (
    record.paymentId === request.paymentId &&
    record.amount.value === request.amount.value &&
    record.amount.currency === request.amount.currency &&
    record.paymentMethodToken === request.paymentMethodToken
  );
}

function answer(res: Response, record: ChargeRecord, status: 200 | 201): void {
  if (record.outcome.status === 'declined') {
    sendError(res, 402, 'CARD_DECLINED', DECLINE_MESSAGE);
    return;
  }
  res.status(status).json({ chargeId: record.outcome.chargeId, status: 'succeeded' });
}

/**
 * POST /charges. The handler never awaits between looking the key up and storing it (the
 * latency wait happens before it, in the control middleware), so duplicates arriving together
 * cannot both charge: the first stores the key, the others find it.
 */
export function chargeHandler({ book, ledger, control, logger }: ChargeDeps): RequestHandler {
  return (req, res) => {
    const request = parseBody(ChargeRequest, req, res);
    if (request === undefined) return;
    const { idempotencyKey, paymentId, amount } = request;
    rememberPaymentId(res, paymentId);
    const log = logger.child({ paymentId, idempotencyKey });

    const previous = book.chargesByKey.get(idempotencyKey);
    if (previous !== undefined) {
      if (!isSameRequest(previous, request)) {
        log.warn('idempotency key reused for a different charge');
        sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different charge.');
        return;
      }
      log.info({ outcome: previous.outcome }, 'charge replayed; nothing charged again');
      answer(res, previous, 200);
      return;
    }

    const declined = control.current.declineTokens.includes(request.paymentMethodToken);
    const record: ChargeRecord = {
      ...request,
      outcome: declined ? { status: 'declined' } : { status: 'succeeded', chargeId: newId('ch') },
    };
    book.chargesByKey.set(idempotencyKey, record);
    if (record.outcome.status === 'succeeded') {
      book.succeededCharges.set(record.outcome.chargeId, record);
      ledger.record('charge', paymentId, { chargeId: record.outcome.chargeId, idempotencyKey, amount });
      log.info({ chargeId: record.outcome.chargeId, amount }, 'charged');
    } else {
      ledger.record('decline', paymentId, { idempotencyKey, amount });
      log.info({ amount }, 'card declined');
    }
    answer(res, record, 201);
  };
}
