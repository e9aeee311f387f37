import { newEvent, type PaymentEvent, type PaymentInitiated } from '../../contracts/index.js';
import type { StepBudget, StepRecord } from '../common/step-budget.js';
import type { BillingGatesClient, FoundCharge } from './billing-gates-client.js';

/** Said when Billing Gates confirms it holds no charge for the payment. */
export const NOT_CHARGED = { code: 'NOT_CHARGED', message: 'We could not reach the card processor in time. You have not been charged.' };

/**
 * PaymentInitiated → charge the card → PaymentSucceeded, or PaymentFailed if it is declined.
 * When the charge is refused for good, or Billing Gates keeps failing past the charge budget,
 * the card is not charged again: Billing Gates is asked what it did under the payment's key, and
 * that decides the outcome. Until it answers, the record waits in Kafka: a shopper is told "not
 * charged" only when Billing Gates says so.
 */
export function chargePayment(gates: BillingGatesClient, budget: StepBudget) {
  return (event: PaymentInitiated, record: StepRecord): Promise<PaymentEvent> => {
    const { paymentId, data } = event;
    const { signal } = record;
    return budget.run(event, record, {
      attempt: async () => outcomeOf(event, await gates.charge({ paymentId, amount: data.amount, paymentMethodToken: data.paymentMethod.token }, signal)),
      giveUp: async () => outcomeOf(event, await gates.findCharge(paymentId, signal)),
    });
  };
}

function outcomeOf(event: PaymentInitiated, result: FoundCharge): PaymentEvent {
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
    case 'none':
      return newEvent({ type: 'PaymentFailed', paymentId, correlationId, data: { reason: NOT_CHARGED } });
    default: {
      const unhandled: never = result;
      throw new Error(`unhandled charge result ${JSON.stringify(unhandled)}`);
    }
  }
}
