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
export function chargePayment(gates: BillingGatesClient, budget: StepBudget, alert: ChargeUnresolvedAlert, action: ActionWindow) {
  return (event: PaymentInitiated, record: StepRecord): Promise<PaymentEvent> => {
    const { paymentId, correlationId, data } = event;
    const { signal } = record;
    const outcome = (result: ChargeResult) => outcomeOf(event, result, action);
    return budget.run(event, record, {
      attempt: async () =>
        outcome(
          await gates.charge(
            { paymentId, amount: data.amount, paymentMethodToken: data.paymentMethod.token, metadata: chargeMetadata(data.planId, data.customer.email) },
            signal,
          ),
        ),
      giveUp: async () => outcome(await gates.voidCharge(paymentId, signal)),
      unresolved: (refusal) => {
        alert({ paymentId, refusal });
        return Promise.resolve(newEvent({ type: 'PaymentFailed', paymentId, correlationId, data: { reason: chargeUnresolved(paymentId) } }));
      },
    });
  };
}

/** How long a payment waits for its shopper at the bank's challenge, and the clock it is counted on. */
export interface ActionWindow {
  /** ACTION_DEADLINE_MS: when the payment's challenge is given up, counted from the charge's answer. */
  deadlineMs: number;
  now: () => number;
}

/**
 * What the charge carries for its settlement: a charge that waits on the shopper settles minutes
 * later, and the step that publishes its outcome (charge-action-settled.ts) reads the plan and the
 * customer back from Billing Gates' lookup, as it holds no state of its own.
 */
export function chargeMetadata(planId: string, customerEmail: string): Record<string, string> {
  return { planId, customerEmail };
}

function outcomeOf(event: PaymentInitiated, result: ChargeResult, action: ActionWindow): PaymentEvent {
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
    case 'requires_action':
      return newEvent({
        type: 'PaymentRequiresAction',
        paymentId,
        correlationId,
        data: { chargeId: result.chargeId, nextAction: result.nextAction, expiresAt: new Date(action.now() + action.deadlineMs).toISOString() },
      });
    default: {
      const unhandled: never = result;
      throw new Error(`unhandled charge result ${JSON.stringify(unhandled)}`);
    }
  }
}
