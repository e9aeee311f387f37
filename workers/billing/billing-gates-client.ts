import { z } from 'zod';
import type { Money, Reason } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import type { DownstreamClient } from '../common/downstream-client.js';
import { DownstreamErrorBody, errorCode, errorMessage, expectOk } from '../common/expect-ok.js';

const Charged = z.object({ status: z.literal('succeeded'), chargeId: z.string().min(1) });
/** Any other status (a pending `requires_action`, say): known as such, so never taken for a charge. */
const NotCharged = z.object({
  status: z
    .string()
    .min(1)
    .refine((status) => status !== 'succeeded', 'a succeeded charge carries its chargeId'),
});
/** A charge's 2xx answer. Only `succeeded` with a chargeId is a charge; a body that is neither is unreadable. */
const ChargeAnswer = z.union([Charged, NotCharged]);
const Refunded = z.object({ refundId: z.string().min(1) });
/** What a void found under the key: the void is what it did, or the charge's state, which it left alone. */
const VoidAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('voided') }),
  z.object({ status: z.literal('succeeded'), chargeId: z.string().min(1) }),
  z.object({ status: z.literal('declined') }),
]);
const AlreadyRefunded = DownstreamErrorBody.extend({ error: DownstreamErrorBody.shape.error.extend({ details: z.object({ refundId: z.string().min(1) }) }) });

/**
 * What Billing Gates did under a payment's charge key: charged, declined, or voided (by our
 * give-up: nothing can ever be charged under the key).
 */
export type ChargeResult = { outcome: 'charged'; chargeId: string } | { outcome: 'declined'; reason: Reason } | { outcome: 'voided' };

const DECLINED_MESSAGE = 'The card was declined.';
const declined = (message = DECLINED_MESSAGE): ChargeResult => ({ outcome: 'declined', reason: { code: 'CARD_DECLINED', message } });

/** The charge's idempotency key: one per payment, so a payment is charged at most once. */
function chargeKey(paymentId: string): string {
  return `charge:${paymentId}`;
}

/** Billing Gates: charges and refunds, each idempotent by the key we send; a charge's key can be voided. */
export class BillingGatesClient {
  constructor(private readonly http: DownstreamClient) {}

  /**
   * Charges once per paymentId, however often it is called (the idempotency key is `charge:<paymentId>`).
   * A key our give-up voided answers 409 CHARGE_VOIDED: `voided`, never a charge. A 2xx whose
   * status is not `succeeded` is a PermanentError: an answer this checkout cannot act on, which
   * goes to the give-up, whose void settles what it was.
   */
  async charge(input: { paymentId: string; amount: Money; paymentMethodToken: string }, signal?: AbortSignal): Promise<ChargeResult> {
    const response = await this.http.post('/charges', { idempotencyKey: chargeKey(input.paymentId), ...input }, signal);
    if (response.status === 402) return declined(errorMessage(response.body, DECLINED_MESSAGE));
    if (response.status === 409 && errorCode(response.body) === 'CHARGE_VOIDED') return { outcome: 'voided' };
    const answer = expectOk('billing-gates', response, ChargeAnswer, 'charge');
    if (!('chargeId' in answer)) {
      throw new PermanentError('CHARGE_NOT_SUCCEEDED', `billing-gates answered the charge with status "${answer.status}", not "succeeded": not a charge`);
    }
    return { outcome: 'charged', chargeId: answer.chargeId };
  }

  /**
   * Closes the payment's charge key so that nothing can be charged under it any more, unless
   * something was already: then says what (charged, or declined). Made before anyone is told "not
   * charged", it makes that final: a charge still on its way inside Billing Gates, a redelivered
   * record or a second PaymentInitiated finds the key voided. A 5xx or no answer is transient (the
   * record waits); a 4xx is a PermanentError: asked again until the step's settle window ends,
   * then the step ends unresolved.
   */
  async voidCharge(paymentId: string, signal?: AbortSignal): Promise<ChargeResult> {
    const response = await this.http.post(`/charges/${encodeURIComponent(chargeKey(paymentId))}/void`, { paymentId }, signal);
    const found = expectOk('billing-gates', response, VoidAnswer, 'void');
    switch (found.status) {
      case 'voided':
        return { outcome: 'voided' };
      case 'succeeded':
        return { outcome: 'charged', chargeId: found.chargeId };
      case 'declined':
        return declined();
      default: {
        const unhandled: never = found;
        throw new Error(`unhandled void answer ${JSON.stringify(unhandled)}`);
      }
    }
  }

  async refund(input: { paymentId: string; chargeId: string }, signal?: AbortSignal): Promise<string> {
    const response = await this.http.post('/refunds', { idempotencyKey: `refund:${input.paymentId}`, ...input }, signal);
    // Refunded already under another key (an operator, or an earlier key scheme): the money is back.
    const already = response.status === 409 ? AlreadyRefunded.safeParse(response.body) : undefined;
    if (already?.success === true && already.data.error.code === 'CHARGE_ALREADY_REFUNDED') return already.data.error.details.refundId;
    return expectOk('billing-gates', response, Refunded, 'refund').refundId;
  }
}
