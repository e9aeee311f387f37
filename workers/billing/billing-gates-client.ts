import { z } from 'zod';
import { AUTHENTICATION_DECLINED, ChargeActionDecline, Money, NextAction, type Reason } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import type { DownstreamClient } from '../common/downstream-client.js';
import { DownstreamErrorBody, errorCode, errorMessage, expectOk } from '../common/expect-ok.js';

const Charged = z.object({ status: z.literal('succeeded'), chargeId: z.string().min(1) });
/** A pending charge: nothing is taken until the shopper completes the bank's challenge at `nextAction`. */
const RequiresAction = z.object({ status: z.literal('requires_action'), chargeId: z.string().min(1), nextAction: NextAction });
/** Any other status (a pending `requires_action`, say): known as such, so never taken for a charge. */
const NotCharged = z.object({
  status: z
    .string()
    .min(1)
    .refine((status) => status !== 'succeeded', 'a succeeded charge carries its chargeId'),
});
/** A charge's 2xx answer. Only `succeeded` with a chargeId is a charge; a body that is neither is unreadable. */
const ChargeAnswer = z.union([Charged, RequiresAction, NotCharged]);
/** What the lookup says a key's charge came to, with what the charge was asked with. */
const LookedUp = z.discriminatedUnion('status', [
  Charged.extend({ amount: Money, metadata: z.record(z.string(), z.string()).optional() }),
  z.object({ status: z.literal('declined'), declineCode: z.string().optional() }),
  RequiresAction,
  z.object({ status: z.literal('voided') }),
]);
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
export type ChargeResult =
  | { outcome: 'charged'; chargeId: string }
  | { outcome: 'declined'; reason: Reason }
  | { outcome: 'voided' }
  /** Pending: the shopper must confirm at their bank (`nextAction`) before anything is charged. */
  | { outcome: 'requires_action'; chargeId: string; nextAction: NextAction };

/** What the charge lookup found under a payment's key: a result, with a charge's amount and metadata, or nothing yet. */
export type LookupResult =
  | { outcome: 'charged'; chargeId: string; amount: Money; metadata: Record<string, string> }
  | Exclude<ChargeResult, { outcome: 'charged' }>
  | { outcome: 'not_found' };

const DECLINED_MESSAGE = 'The card was declined.';
const declined = (message = DECLINED_MESSAGE, challenge?: ChargeActionDecline): ChargeResult => ({
  outcome: 'declined',
  reason: challenge === undefined ? { code: 'CARD_DECLINED', message } : AUTHENTICATION_DECLINED[challenge],
});

/** A 402's decline: a failed or abandoned challenge in its own words, else the card's. */
function declinedAnswer(body: unknown): ChargeResult {
  const challenge = ChargeActionDecline.safeParse(errorCode(body));
  return challenge.success ? declined(undefined, challenge.data) : declined(errorMessage(body, DECLINED_MESSAGE));
}

/** The reason of a decline the lookup reports: a challenge's, or the card's. */
function declineReason(code: string | undefined): Reason {
  const challenge = ChargeActionDecline.safeParse(code);
  return challenge.success ? AUTHENTICATION_DECLINED[challenge.data] : { code: 'CARD_DECLINED', message: DECLINED_MESSAGE };
}

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
  async charge(
    input: { paymentId: string; amount: Money; paymentMethodToken: string; metadata?: Record<string, string> },
    signal?: AbortSignal,
  ): Promise<ChargeResult> {
    const response = await this.http.post('/charges', { idempotencyKey: chargeKey(input.paymentId), ...input }, signal);
    if (response.status === 402) return declinedAnswer(response.body);
    if (response.status === 409 && errorCode(response.body) === 'CHARGE_VOIDED') return { outcome: 'voided' };
    const answer = expectOk('billing-gates', response, ChargeAnswer, 'charge');
    if (answer.status === 'requires_action' && 'nextAction' in answer)
      return { outcome: 'requires_action', chargeId: answer.chargeId, nextAction: answer.nextAction };
    if (answer.status !== 'succeeded' || !('chargeId' in answer)) {
      throw new PermanentError('CHARGE_NOT_SUCCEEDED', `billing-gates answered the charge with status "${answer.status}", not "succeeded": not a charge`);
    }
    return { outcome: 'charged', chargeId: answer.chargeId };
  }

  /**
   * What the charge under a payment's key came to, asked of Billing Gates itself: the settled
   * state a webhook reports is read here before anything is published, never taken from the
   * webhook. 404 CHARGE_NOT_FOUND is `not_found`; any other refusal a PermanentError.
   */
  async lookupCharge(paymentId: string, signal?: AbortSignal): Promise<LookupResult> {
    const response = await this.http.get(`/charges/${encodeURIComponent(chargeKey(paymentId))}`, signal);
    if (response.status === 404 && errorCode(response.body) === 'CHARGE_NOT_FOUND') return { outcome: 'not_found' };
    const found = expectOk('billing-gates', response, LookedUp, 'charge lookup');
    switch (found.status) {
      case 'succeeded':
        return { outcome: 'charged', chargeId: found.chargeId, amount: found.amount, metadata: found.metadata ?? {} };
      case 'declined':
        return { outcome: 'declined', reason: declineReason(found.declineCode) };
      case 'requires_action':
        return { outcome: 'requires_action', chargeId: found.chargeId, nextAction: found.nextAction };
      case 'voided':
        return { outcome: 'voided' };
      default: {
        const unhandled: never = found;
        throw new Error(`unhandled lookup answer ${JSON.stringify(unhandled)}`);
      }
    }
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
