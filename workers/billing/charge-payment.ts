import { newEvent, type PaymentEvent, type PaymentInitiated, type Reason } from '../../contracts/index.js';
import type { StepBudget } from '../common/step-budget.js';
import type { BillingGatesClient, ChargeResult } from './billing-gates-client.js';

/** Said once the payment's charge key is voided at Billing Gates: nothing was charged, and nothing can be. */
export const NOT_CHARGED: Reason = {
  code: 'NOT_CHARGED',
  message: 'We could not complete the payment with the card processor, so it was cancelled. You have not been charged.',
};

/**
 * PaymentInitiated → charge the card → PaymentSucceeded, or PaymentFailed if it is declined.
 * When the charge is refused for good, answered with a status that is not "succeeded", or keeps
 * failing past the charge budget, the card is not charged again: the payment's charge key is
 * voided at Billing Gates, and what the void finds decides the outcome. Voided → "not charged",
 * and final: a charge still on its way, a redelivered record or a second PaymentInitiated finds
 * the key voided (CHARGE_VOIDED) and ends the same way. Until Billing Gates answers the void, the
 * record waits in Kafka: a shopper is told "not charged" only when Billing Gates made it so.
 */
export function chargePayment(gates: BillingGatesClient, budget: StepBudget) {
  return (event: PaymentInitiated, signal?: AbortSignal): Promise<PaymentEvent> => {
    const { paymentId, data } = event;
    return budget.run(event, signal, {
      attempt: async () => outcomeOf(event, await gates.charge({ paymentId, amount: data.amount, paymentMethodToken: data.paymentMethod.token }, signal)),
      giveUp: async () => outcomeOf(event, await gates.voidCharge(paymentId, signal)),
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
