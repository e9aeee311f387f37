import { newEvent, type OrderFailed, type PaymentEvent } from '../../contracts/index.js';
import type { StepBudget, StepRecord } from '../common/step-budget.js';
import type { BillingGatesClient } from './billing-gates-client.js';
import type { RefundAlert } from './refund-alert.js';

/**
 * OrderFailed → return the charge → PaymentRefunded, so nobody stays charged without an order.
 * A refund Billing Gates refuses, or keeps failing past the refund budget, becomes RefundFailed:
 * the shopper is told, and an operator alerted, instead of the record going quietly to a dead letter.
 */
export function refundCharge(gates: BillingGatesClient, budget: StepBudget, alert: RefundAlert) {
  return (event: OrderFailed, record: StepRecord): Promise<PaymentEvent> => {
    const { paymentId, correlationId, data } = event;
    const { signal } = record;
    return budget.run<PaymentEvent>(event, record, {
      attempt: async () => {
        const refundId = await gates.refund({ paymentId, chargeId: data.chargeId }, signal);
        return newEvent({
          type: 'PaymentRefunded',
          paymentId,
          correlationId,
          data: {
            chargeId: data.chargeId,
            refundId,
            reason: { code: data.reason.code, message: `${data.reason.message} Your payment has been refunded.` },
          },
        });
      },
      giveUp: (cause) => {
        alert({ paymentId, chargeId: data.chargeId, cause });
        const message = `Your order could not be completed and the automatic refund did not go through. Our support team has been alerted and will return your payment; reference ${paymentId}.`;
        return Promise.resolve(newEvent({ type: 'RefundFailed', paymentId, correlationId, data: { chargeId: data.chargeId, reason: { code: 'REFUND_FAILED', message } } }));
      },
    });
  };
}
