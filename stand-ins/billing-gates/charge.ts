import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { Money } from '../../contracts/money.js';
import type { Logger } from '../../lib/logger.js';
import type { ControlReader } from '../common/control.js';
import { sendError } from '../common/errors.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { parseBody } from '../common/validate.js';
import type { BillingBook, ChargeOutcome, ChargeRecord, VoidedKey } from './book.js';
import type { Challenges } from './challenges.js';
import type { BillingControl } from './control.js';
import { declineMessage } from './decline-messages.js';
import { newId } from './ids.js';
import type { BillingLedger } from './ledger-kinds.js';

export const ChargeRequest = z.object({
  /** The same key never charges twice; the caller derives it from the payment. */
  idempotencyKey: z.string().min(1).max(255),
  paymentId: z.string().min(1).max(200),
  amount: Money,
  /** An opaque token for the payment method, never card numbers. */
  paymentMethodToken: z.string().min(1).max(200),
  /**
   * The caller's own notes on the charge (as Stripe's `metadata`), kept with it and answered by the
   * lookup: what a caller needs to act on a charge that settles later, without a store of its own.
   */
  metadata: z
    .record(z.string().min(1).max(40), z.string().max(500))
    .refine((metadata) => Object.keys(metadata).length <= 20, 'at most 20 keys')
    .optional(),
});
export type ChargeRequest = z.infer<typeof ChargeRequest>;

interface ChargeDeps {
  book: BillingBook;
  ledger: BillingLedger;
  control: ControlReader & { readonly current: Readonly<BillingControl> };
  challenges: Challenges;
  /** The base URL browsers reach this stand-in at, for the challenge pages; default the host the charge came to. */
  publicUrl: string | undefined;
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

function answer(res: Response, record: ChargeRecord | VoidedKey, status: 200 | 201): void {
  const { outcome } = record;
  switch (outcome.status) {
    case 'succeeded':
      res.status(status).json({ chargeId: outcome.chargeId, status: 'succeeded' });
      return;
    case 'declined':
      sendError(res, 402, outcome.declineCode ?? 'CARD_DECLINED', declineMessage(outcome.declineCode));
      return;
    case 'requires_action':
      res.status(status).json({ chargeId: outcome.chargeId, status: 'requires_action', nextAction: outcome.nextAction });
      return;
    case 'voided':
      sendError(res, 409, 'CHARGE_VOIDED', `The idempotency key ${record.idempotencyKey} was voided; nothing can be charged under it.`);
      return;
    default: {
      const unhandled: never = outcome;
      throw new Error(`unhandled charge outcome ${JSON.stringify(unhandled)}`);
    }
  }
}

/** A new charge's outcome, as the control state has it for the payment-method token; one that requires action gets its challenge. */
function outcomeFor(req: Request, request: ChargeRequest, { control, challenges, publicUrl }: ChargeDeps): ChargeOutcome {
  const token = request.paymentMethodToken;
  if (control.current.declineTokens.includes(token)) return { status: 'declined' };
  const chargeId = newId('ch');
  if (!control.current.requiresActionTokens.includes(token)) return { status: 'succeeded', chargeId };
  const baseUrl = publicUrl ?? `${req.protocol}://${req.get('host') ?? 'billing-gates'}`;
  return { status: 'requires_action', chargeId, nextAction: challenges.ask(request.idempotencyKey, request.paymentId, baseUrl) };
}

/**
 * POST /charges. The handler never awaits between looking the key up and storing it (the
 * latency wait and the effect hold happen before it, in middleware), so duplicates arriving
 * together cannot both charge: the first stores the key, the others find it. A void that arrived
 * while a charge was held is found the same way, so the void wins and nothing is charged.
 */
export function chargeHandler(deps: ChargeDeps): RequestHandler {
  const { book, ledger, challenges, logger } = deps;
  return (req, res) => {
    const request = parseBody(ChargeRequest, req, res);
    if (request === undefined) return;
    const { idempotencyKey, paymentId, amount } = request;
    rememberPaymentId(res, paymentId);
    const log = logger.child({ paymentId, idempotencyKey });

    challenges.expireIfDue(idempotencyKey);
    const previous = book.chargesByKey.get(idempotencyKey);
    if (previous?.outcome.status === 'voided') {
      log.info('charge under a voided key refused; nothing charged');
      answer(res, previous, 200);
      return;
    }
    if (previous !== undefined) {
      if (!('amount' in previous) || !isSameRequest(previous, request)) {
        log.warn('idempotency key reused for a different charge');
        sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different charge.');
        return;
      }
      log.info({ outcome: previous.outcome }, 'charge replayed; nothing charged again');
      answer(res, previous, 200);
      return;
    }

    const record: ChargeRecord = { ...request, outcome: outcomeFor(req, request, deps) };
    book.chargesByKey.set(idempotencyKey, record);
    const { outcome } = record;
    if (outcome.status === 'succeeded') {
      book.succeededCharges.set(outcome.chargeId, record);
      ledger.record('charge', paymentId, { chargeId: outcome.chargeId, idempotencyKey, amount });
      log.info({ chargeId: outcome.chargeId, amount }, 'charged');
    } else if (outcome.status === 'requires_action') {
      ledger.record('charge-pending', paymentId, { chargeId: outcome.chargeId, idempotencyKey, amount });
      log.info({ chargeId: outcome.chargeId, amount }, 'charge pending: the shopper must act before anything is taken');
    } else {
      ledger.record('decline', paymentId, { idempotencyKey, amount });
      log.info({ amount }, 'card declined');
    }
    answer(res, record, 201);
  };
}
