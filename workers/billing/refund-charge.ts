import { newEvent, type OrderFailed, type PaymentEvent } from '../../contracts/index.js';
import type { BillingGatesClient } from './billing-gates-client.js';

/** OrderFailed → return the charge → PaymentRefunded, so nobody stays charged without an order. */
export async function refundCharge(gates: BillingGatesClient, event: OrderFailed, signal?: AbortSignal): Promise<PaymentEvent> {
  const { paymentId, correlationId, data } = event;
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
}
