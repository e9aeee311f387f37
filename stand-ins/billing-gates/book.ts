import type { Money } from '../../contracts/money.js';

/** A charge attempt, remembered under its idempotency key whatever its outcome. */
export interface ChargeRecord {
  idempotencyKey: string;
  paymentId: string;
  amount: Money;
  paymentMethodToken: string;
  outcome: { status: 'succeeded'; chargeId: string } | { status: 'declined' };
}

export interface RefundRecord {
  idempotencyKey: string;
  refundId: string;
  chargeId: string;
  paymentId: string;
}

/** Billing Gates' books: what was charged and refunded, by idempotency key and by id. */
export class BillingBook {
  readonly chargesByKey = new Map<string, ChargeRecord>();
  readonly succeededCharges = new Map<string, ChargeRecord>();
  readonly refundsByKey = new Map<string, RefundRecord>();
  readonly refundsByChargeId = new Map<string, RefundRecord>();
}
