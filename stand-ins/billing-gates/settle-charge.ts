import type { ChargeActionDecline, ChargeSettledWebhook } from '../../contracts/charge-webhook.js';
import type { BillingBook, ChargeRecord } from './book.js';
import { newId } from './ids.js';
import type { BillingLedger } from './ledger-kinds.js';

/** How a challenge ended: the shopper completed or failed it, or never answered before it expired. */
export type ChallengeEnd = 'completed' | 'failed' | 'abandoned';

const DECLINE_CODES: Record<Exclude<ChallengeEnd, 'completed'>, ChargeActionDecline> = {
  failed: 'AUTHENTICATION_FAILED',
  abandoned: 'AUTHENTICATION_ABANDONED',
};

/**
 * Settles the pending charge under `idempotencyKey` as its challenge ended: charged (ledger
 * `charge`) once the shopper completed it, else declined with the decline code (ledger `decline`
 * with `declineCode`). Only a pending charge moves, so a second click, an expiry after an answer,
 * or an answer after a void changes nothing and returns undefined. Synchronous, like the charge
 * handler: nothing can come between reading the key and writing it.
 */
export function settlePendingCharge(book: BillingBook, ledger: BillingLedger, idempotencyKey: string, end: ChallengeEnd): ChargeRecord | undefined {
  const record = book.chargesByKey.get(idempotencyKey);
  if (record === undefined || !('amount' in record) || record.outcome.status !== 'requires_action') return undefined;
  const { chargeId } = record.outcome;
  const { paymentId, amount } = record;
  if (end === 'completed') {
    const charged: ChargeRecord = { ...record, outcome: { status: 'succeeded', chargeId } };
    book.chargesByKey.set(idempotencyKey, charged);
    book.succeededCharges.set(chargeId, charged);
    ledger.record('charge', paymentId, { chargeId, idempotencyKey, amount });
    return charged;
  }
  const declineCode = DECLINE_CODES[end];
  const declined: ChargeRecord = { ...record, outcome: { status: 'declined', chargeId, declineCode } };
  book.chargesByKey.set(idempotencyKey, declined);
  ledger.record('decline', paymentId, { chargeId, idempotencyKey, amount, declineCode });
  return declined;
}

/** The webhook that tells payflow a charge settled, with a new event id that every delivery of it keeps. */
export function chargeSettledEvent(record: ChargeRecord, now = new Date()): ChargeSettledWebhook {
  const { idempotencyKey, paymentId, outcome } = record;
  if (outcome.status !== 'succeeded' && outcome.status !== 'declined') throw new Error(`charge ${idempotencyKey} is not settled (${outcome.status})`);
  const chargeId = outcome.chargeId;
  if (chargeId === undefined) throw new Error(`charge ${idempotencyKey} was declined without a chargeId: it never required action`);
  const declineCode = outcome.status === 'declined' ? outcome.declineCode : undefined;
  return {
    id: newId('evt'),
    type: 'charge.settled',
    created: now.toISOString(),
    data: { paymentId, idempotencyKey, chargeId, status: outcome.status, ...(declineCode === undefined ? {} : { declineCode }) },
  };
}
