import { AUTHENTICATION_DECLINED, type ChargeActionExpired, type PaymentEvent } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import type { StepBudget, StepRecord } from '../common/step-budget.js';
import type { BillingGatesClient, LookupResult } from './billing-gates-client.js';
import { settledOutcome } from './charge-action-settled.js';
import type { ChargeUnresolvedAlert } from './charge-unresolved-alert.js';
import { chargeUnresolved } from './charge-payment.js';

/**
 * ChargeActionExpired → what holds under the charge's key now → PaymentSucceeded or PaymentFailed.
 * The deadline passed with nothing heard of the challenge (its webhook lost, or never sent), so
 * this step does not wait for it: a charge Billing Gates still finds pending is voided at once,
 * and the void's answer decides, as in the charge step (decision 0012): voided, the payment fails
 * AUTHENTICATION_ABANDONED and nothing can be charged under the key; charged meanwhile (the
 * shopper answered at the last moment), it succeeds. A charge already settled is taken as the
 * lookup finds it. Billing Gates failing is retried within the step's budget, then voided too.
 */
export function expireChargeAction(gates: BillingGatesClient, budget: StepBudget, alert: ChargeUnresolvedAlert, logger: Logger) {
  return async (event: ChargeActionExpired, record: StepRecord): Promise<PaymentEvent | null> => {
    const { paymentId } = event;
    const { signal } = record;
    const voidPending = async (): Promise<LookupResult> => {
      const voided = await gates.voidCharge(paymentId, signal);
      // A charge the void found made: its amount and metadata are the lookup's.
      return voided.outcome === 'charged' ? gates.lookupCharge(paymentId, signal) : voided;
    };
    const found = await budget.run<LookupResult>(event, record, {
      attempt: async () => {
        const result = await gates.lookupCharge(paymentId, signal);
        return result.outcome === 'requires_action' ? voidPending() : result;
      },
      giveUp: voidPending,
      unresolved: (refusal) => {
        alert({ paymentId, refusal });
        return Promise.resolve({ outcome: 'declined', reason: chargeUnresolved(paymentId) });
      },
    });
    return settledOutcome(found, event, logger, AUTHENTICATION_DECLINED.AUTHENTICATION_ABANDONED);
  };
}
