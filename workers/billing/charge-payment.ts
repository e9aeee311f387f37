import { CHARGE_UNRESOLVED, newEvent, type PaymentEvent, type PaymentInitiated, type Reason } from '../../contracts/index.js';
import type { StepBudget, StepRecord } from '../common/step-budget.js';
import type { BillingGatesClient, ChargeResult } from './billing-gates-client.js';
import type { ChargeUnresolvedAlert } from './charge-unresolved-alert.js';

/** Said once the payment's charge key is voided at Billing Gates: nothing was charged, and nothing can be. */
export const NOT_CHARGED: Reason = {
  code: 'NOT_CHARGED',
  message: 'We could not complete the payment with the card processor, so it was cancelled. You have not been charged.',
};

/**
 * Said when Billing Gates would neither void the charge nor say what it did: whether the card was
 * charged is not known, so the words do not say it was not; support settles it.
 */
export function chargeUnresolved(paymentId: string): Reason {
  return {
    code: CHARGE_UNRESOLVED,
    message: `We could not confirm with the card processor whether your payment went through. Our support team has been alerted and will return any charge; please do not pay again until you hear from us. Reference ${paymentId}.`,
  };
}

/**
 * PaymentInitiated → charge the card → PaymentSucceeded, or PaymentFailed if it is declined.
 * When the charge is refused for good, answered with a status that is not "succeeded", or keeps
 * failing past the charge budget, the card is not charged again: the payment's charge key is
 * voided at Billing Gates, and what the void finds decides the outcome. Voided → "not charged",
 * and final: a charge still on its way, a redelivered record or a second PaymentInitiated finds
 * the key voided (CHARGE_VOIDED) and ends the same way. Until Billing Gates answers the void, the
 * record waits in Kafka; if it refuses the void for good (a 4xx) past the settle window, the
 * payment ends CHARGE_UNRESOLVED and an operator is alerted, so no record pins its partition.
 */
export function chargePayment(gates: BillingGatesClient, budget: StepBudget, alert: ChargeUnresolvedAlert) {
  return (event: PaymentInitiated, record: StepRecord): Promise<PaymentEvent> => {
    const { paymentId, correlationId, data } = event;
    const { signal } = record;
    return budget.run(event, record, {
      attempt: async () => outcomeOf(event, await gates.charge({ paymentId, amount: data.amount, paymentMethodToken: data.paymentMethod.token }, signal)),
      giveUp: async () => outcomeOf(event, await gates.voidCharge(paymentId, signal)),
      unresolved: (refusal) => {
        alert({ paymentId, refusal });
        return Promise.resolve(newEvent({ type: 'PaymentFailed', paymentId, correlationId, data: { reason: chargeUnresolved(paymentId) } }));
      },
    });
  };
}

function outcomeOf(event: PaymentInitiated, result: ChargeResult): PaymentEvent {
  const { paymentId, correlationId, data } = event;
  switch (result.outcome) {
    case 'charged':
      return newEvent({
        type: 'PaymentSucceeded',
        paymentId,
        correlationId,
        data: { chargeId: result.chargeId, planId: data.planId, amount: data.amount, customer: data.customer },
      });
    case 'declined':
      return newEvent({ type: 'PaymentFailed', paymentId, correlationId, data: { reason: result.reason } });
    case 'voided':
      return newEvent({ type: 'PaymentFailed', paymentId, correlationId, data: { reason: NOT_CHARGED } });
    default: {
      const unhandled: never = result;
      throw new Error(`unhandled charge result ${JSON.stringify(unhandled)}`);
    }
  }
}
