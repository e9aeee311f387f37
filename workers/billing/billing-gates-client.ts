import { z } from 'zod';
import type { Money, Reason } from '../../contracts/index.js';
import type { DownstreamClient } from '../common/downstream-client.js';
import { errorMessage, expectOk } from '../common/expect-ok.js';

const Charged = z.object({ chargeId: z.string().min(1) });
const Refunded = z.object({ refundId: z.string().min(1) });

export type ChargeResult = { outcome: 'charged'; chargeId: string } | { outcome: 'declined'; reason: Reason };

/** Billing Gates: charges and refunds, each idempotent by the key we send. */
export class BillingGatesClient {
  constructor(private readonly http: DownstreamClient) {}

  /** Charges once per paymentId, however often it is called (the paymentId is the idempotency key). */
  async charge(input: { paymentId: string; amount: Money; paymentMethodToken: string }, signal?: AbortSignal): Promise<ChargeResult> {
    const response = await this.http.post('/charges', { idempotencyKey: `charge:${input.paymentId}`, ...input }, signal);
    if (response.status === 402) {
      return { outcome: 'declined', reason: { code: 'CARD_DECLINED', message: errorMessage(response.body, 'The card was declined.') } };
    }
    return { outcome: 'charged', chargeId: expectOk('billing-gates', response, Charged, 'charge').chargeId };
  }

  async refund(input: { paymentId: string; chargeId: string }, signal?: AbortSignal): Promise<string> {
    const response = await this.http.post('/refunds', { idempotencyKey: `refund:${input.paymentId}`, ...input }, signal);
    return expectOk('billing-gates', response, Refunded, 'refund').refundId;
  }
}

