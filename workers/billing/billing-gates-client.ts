import { z } from 'zod';
import type { Money, Reason } from '../../contracts/index.js';
import { TransientDownstreamError, type DownstreamClient } from '../common/downstream-client.js';
import { DownstreamErrorBody, errorCode, errorMessage, expectOk, refusal } from '../common/expect-ok.js';

const Charged = z.object({ chargeId: z.string().min(1) });
const Refunded = z.object({ refundId: z.string().min(1) });
const FoundCharge = z.discriminatedUnion('status', [
  z.object({ status: z.literal('succeeded'), chargeId: z.string().min(1) }),
  z.object({ status: z.literal('declined') }),
]);
const AlreadyRefunded = DownstreamErrorBody.extend({ error: DownstreamErrorBody.shape.error.extend({ details: z.object({ refundId: z.string().min(1) }) }) });

export type ChargeResult = { outcome: 'charged'; chargeId: string } | { outcome: 'declined'; reason: Reason };
/** What Billing Gates did under a payment's charge key: charged, declined, or nothing at all. */
export type FoundCharge = ChargeResult | { outcome: 'none' };

const DECLINED_MESSAGE = 'The card was declined.';

/** The charge's idempotency key: one per payment, so a payment is charged at most once. */
function chargeKey(paymentId: string): string {
  return `charge:${paymentId}`;
}

/** Billing Gates: charges and refunds, each idempotent by the key we send. */
export class BillingGatesClient {
  constructor(private readonly http: DownstreamClient) {}

  /** Charges once per paymentId, however often it is called (the paymentId is the idempotency key). */
  async charge(input: { paymentId: string; amount: Money; paymentMethodToken: string }, signal?: AbortSignal): Promise<ChargeResult> {
    const response = await this.http.post('/charges', { idempotencyKey: chargeKey(input.paymentId), ...input }, signal);
    if (response.status === 402) {
      return { outcome: 'declined', reason: { code: 'CARD_DECLINED', message: errorMessage(response.body, DECLINED_MESSAGE) } };
    }
    return { outcome: 'charged', chargeId: expectOk('billing-gates', response, Charged, 'charge').chargeId };
  }

  /**
   * What became of the payment's charge, asked without charging. Only Billing Gates' own
   * CHARGE_NOT_FOUND means nothing was charged; any other refusal is transient (asked again),
   * since telling a shopper "not charged" on a guess could leave a charge without an outcome.
   */
  async findCharge(paymentId: string, signal?: AbortSignal): Promise<FoundCharge> {
    const response = await this.http.get(`/charges/${encodeURIComponent(chargeKey(paymentId))}`, signal);
    if (response.status === 404 && errorCode(response.body) === 'CHARGE_NOT_FOUND') return { outcome: 'none' };
    if (response.status >= 400) throw new TransientDownstreamError('billing-gates', refusal('billing-gates', response, 'charge lookup').message, { effect: 'none' });
    const found = expectOk('billing-gates', response, FoundCharge, 'charge lookup');
    return found.status === 'succeeded'
      ? { outcome: 'charged', chargeId: found.chargeId }
      : { outcome: 'declined', reason: { code: 'CARD_DECLINED', message: DECLINED_MESSAGE } };
  }

  async refund(input: { paymentId: string; chargeId: string }, signal?: AbortSignal): Promise<string> {
    const response = await this.http.post('/refunds', { idempotencyKey: `refund:${input.paymentId}`, ...input }, signal);
    // Refunded already under another key (an operator, or an earlier key scheme): the money is back.
    const already = response.status === 409 ? AlreadyRefunded.safeParse(response.body) : undefined;
    if (already?.success === true && already.data.error.code === 'CHARGE_ALREADY_REFUNDED') return already.data.error.details.refundId;
    return expectOk('billing-gates', response, Refunded, 'refund').refundId;
  }
}
