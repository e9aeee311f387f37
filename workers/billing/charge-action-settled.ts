import { newEvent, type ChargeActionExpired, type ChargeActionSettled, type PaymentEvent, type Reason } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import type { Logger } from '../../lib/logger.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import type { StepBudget, StepRecord } from '../common/step-budget.js';
import type { BillingGatesClient, LookupResult } from './billing-gates-client.js';
import type { ChargeUnresolvedAlert } from './charge-unresolved-alert.js';
import { chargeUnresolved, NOT_CHARGED } from './charge-payment.js';

/**
 * ChargeActionSettled → ask Billing Gates what the charge came to → PaymentSucceeded, or
 * PaymentFailed. The webhook the BFF received says the charge settled, and how; it is signed, but
 * it is not what decides: the charge lookup is, so a webhook that lies, or that another payment's
 * settlement was taken for, moves no money word. Its plan and customer come back with the charge
 * (chargeMetadata in charge-payment.ts), as this step holds no state of its own.
 *
 * A charge the lookup still finds pending is tried again, as a transient failure, until the
 * step's budget ends; then, as the charge step does, the key is voided and what the void finds
 * decides (a charge still pending is voided: not charged, and final). A key Billing Gates never
 * heard of publishes nothing: there is no payment of ours to move.
 */
export function settleChargeAction(gates: BillingGatesClient, budget: StepBudget, alert: ChargeUnresolvedAlert, logger: Logger) {
  return async (event: ChargeActionSettled, record: StepRecord): Promise<PaymentEvent | null> => {
    const { paymentId } = event;
    const { signal } = record;
    const found = await budget.run<LookupResult>(event, record, {
      attempt: async () => {
        const result = await gates.lookupCharge(paymentId, signal);
        if (result.outcome === 'requires_action') {
          throw new TransientDownstreamError(
            'billing-gates',
            `the webhook ${event.data.webhookEventId} said the charge settled, but the lookup finds it pending`,
            {
              effect: 'none',
            },
          );
        }
        return result;
      },
      giveUp: async () => {
        const voided = await gates.voidCharge(paymentId, signal);
        // A charge the void found made: its amount and metadata are the lookup's.
        return voided.outcome === 'charged' ? gates.lookupCharge(paymentId, signal) : voided;
      },
      unresolved: (refusal) => {
        alert({ paymentId, refusal });
        return Promise.resolve({ outcome: 'declined', reason: chargeUnresolved(paymentId) });
      },
    });
    return settledOutcome(found, event, logger);
  };
}

/**
 * What Billing Gates' charge lookup (or a void's answer) says a charge that required action came
 * to, as the event that moves the payment on: PaymentSucceeded with the charge's plan and
 * customer, or PaymentFailed with the decline's reason (`voidedReason` for a key voided); null, and a
 * warning, for a charge Billing Gates does not know or still finds pending.
 */
export function settledOutcome(
  found: LookupResult,
  event: ChargeActionSettled | ChargeActionExpired,
  logger: Logger,
  voidedReason: Reason = NOT_CHARGED,
): PaymentEvent | null {
  const { paymentId, correlationId } = event;
  switch (found.outcome) {
    case 'charged': {
      const { planId, customerEmail } = found.metadata;
      if (planId === undefined || customerEmail === undefined) {
        throw new PermanentError(
          'CHARGE_METADATA_MISSING',
          `the charge ${found.chargeId} settled without the plan and customer it was asked with (its metadata)`,
        );
      }
      return newEvent({
        type: 'PaymentSucceeded',
        paymentId,
        correlationId,
        data: { chargeId: found.chargeId, planId, amount: found.amount, customer: { email: customerEmail } },
      });
    }
    case 'declined':
      return newEvent({ type: 'PaymentFailed', paymentId, correlationId, data: { reason: found.reason } });
    case 'voided':
      return newEvent({ type: 'PaymentFailed', paymentId, correlationId, data: { reason: voidedReason } });
    case 'not_found':
    case 'requires_action':
      logger.warn(
        { paymentId, eventId: event.eventId, found: found.outcome },
        'a charge that required action, which Billing Gates does not know as settled; nothing published',
      );
      return null;
    default: {
      const unhandled: never = found;
      throw new Error(`unhandled lookup result ${JSON.stringify(unhandled)}`);
    }
  }
}
