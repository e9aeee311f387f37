import type { ChargeActionDecline } from '../../contracts/charge-webhook.js';
import type { Money } from '../../contracts/money.js';

/** Where a shopper is sent to complete a charge that requires action (3-D Secure, say). */
export interface NextAction {
  type: 'redirect';
  url: string;
}

/**
 * What a key's charge came to. `requires_action` is a pending charge: nothing is taken until the
 * shopper completes its challenge, which settles it as `succeeded`, or as `declined` with the
 * `declineCode` of a failed or abandoned challenge (and the pending charge's `chargeId`). `voided`
 * is a key closed by a void: no charge can be made under it again.
 */
export type ChargeOutcome =
  | { status: 'succeeded'; chargeId: string }
  | { status: 'declined'; chargeId?: string; declineCode?: ChargeActionDecline }
  | { status: 'requires_action'; chargeId: string; nextAction: NextAction }
  | { status: 'voided' };

/** A charge attempt, remembered under its idempotency key whatever its outcome. */
export interface ChargeRecord {
  idempotencyKey: string;
  paymentId: string;
  amount: Money;
  paymentMethodToken: string;
  /** The caller's notes on the charge, answered by the lookup. */
  metadata?: Record<string, string> | undefined;
  outcome: ChargeOutcome;
}

/** A key voided before any charge was asked for under it: only the key and its payment are known. */
export interface VoidedKey {
  idempotencyKey: string;
  paymentId: string;
  outcome: { status: 'voided' };
}

export interface RefundRecord {
  idempotencyKey: string;
  refundId: string;
  chargeId: string;
  paymentId: string;
}

/** Billing Gates' books: what was charged, voided and refunded, by idempotency key and by id. */
export class BillingBook {
  readonly chargesByKey = new Map<string, ChargeRecord | VoidedKey>();
  readonly succeededCharges = new Map<string, ChargeRecord>();
  readonly refundsByKey = new Map<string, RefundRecord>();
  readonly refundsByChargeId = new Map<string, RefundRecord>();
}

/** What the lookup and the void answer about a key: the same body, so a void says what a lookup would after it. */
export function describeCharge(record: ChargeRecord | VoidedKey): Record<string, unknown> {
  const { idempotencyKey, paymentId, outcome } = record;
  if (!('amount' in record)) return { idempotencyKey, paymentId, ...outcome };
  return { idempotencyKey, paymentId, amount: record.amount, ...(record.metadata === undefined ? {} : { metadata: record.metadata }), ...outcome };
}
