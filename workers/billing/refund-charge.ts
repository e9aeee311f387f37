import { newEvent, type OrderFailed, type PaymentEvent } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import type { Logger } from '../../lib/logger.js';
import type { CancelOrder } from '../common/cancel-order.js';
import type { StepBudget, StepRecord } from '../common/step-budget.js';
import type { BillingGatesClient } from './billing-gates-client.js';
import type { RefundAlert } from './refund-alert.js';

/** An OrderFailed whose order Udi has confirmed: hand-made, replayed, or from before orders were cancelled first. */
class OrderConfirmedError extends PermanentError {
  constructor(paymentId: string, orderId: string) {
    super(
      'ORDER_CONFIRMED_NOT_REFUNDED',
      `payment ${paymentId} has its order ${orderId} confirmed in Udi, so its charge is not refunded; its outcome is its OrderConfirmed`,
    );
  }
}

export interface RefundChargeDeps {
  gates: BillingGatesClient;
  /** Gives the payment's order up in Udi before its charge is returned. */
  cancelOrder: CancelOrder;
  budget: StepBudget;
  alert: RefundAlert;
  logger: Logger;
}

/**
 * OrderFailed → make sure Udi will never confirm the order → return the charge → PaymentRefunded,
 * so nobody stays charged without an order. The event alone is not trusted: a hand-made or
 * replayed OrderFailed could name a payment whose order went through. So Udi is asked first with
 * the same cancel the order worker gives up with: cancelled (or barred, when there was no order)
 * → refund; confirmed → never refunded, the record is a permanent failure (dead letter, code
 * ORDER_CONFIRMED_NOT_REFUNDED, an error line naming the payment), since the payment's outcome is
 * its OrderConfirmed. A refund Billing Gates refuses, or that keeps failing past the refund budget
 * (Udi not answering included), becomes RefundFailed: the shopper is told, and an operator
 * alerted, instead of the record going quietly to a dead letter.
 */
export function refundCharge({ gates, cancelOrder, budget, alert, logger }: RefundChargeDeps) {
  return (event: OrderFailed, record: StepRecord): Promise<PaymentEvent> => {
    const { paymentId, correlationId, data } = event;
    const { signal } = record;
    return budget.run<PaymentEvent>(event, record, {
      attempt: async () => {
        const order = await cancelOrder(paymentId, signal);
        if (order.status === 'confirmed') throw new OrderConfirmedError(paymentId, order.orderId);
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
        if (cause.kind === 'permanent' && cause.error instanceof OrderConfirmedError) {
          logger.error(
            { paymentId, chargeId: data.chargeId, code: cause.error.code },
            'OrderFailed for a payment whose order Udi confirmed: not refunded; do not replay it',
          );
          throw cause.error;
        }
        alert({ paymentId, chargeId: data.chargeId, cause });
        const message = `Your order could not be completed and the automatic refund did not go through. Our support team has been alerted and will return your payment; reference ${paymentId}.`;
        return Promise.resolve(
          newEvent({ type: 'RefundFailed', paymentId, correlationId, data: { chargeId: data.chargeId, reason: { code: 'REFUND_FAILED', message } } }),
        );
      },
    });
  };
}
