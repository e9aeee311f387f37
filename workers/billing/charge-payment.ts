import { newEvent, type PaymentEvent, type PaymentInitiated } from '../../contracts/index.js';
import type { BillingGatesClient } from './billing-gates-client.js';

/** PaymentInitiated → charge the card → PaymentSucceeded, or PaymentFailed if it is declined. */
export async function chargePayment(gates: BillingGatesClient, event: PaymentInitiated, signal?: AbortSignal): Promise<PaymentEvent> {
  const { paymentId, correlationId, data } = event;
  const result = await gates.charge({ paymentId, amount: data.amount, paymentMethodToken: data.paymentMethod.token }, signal);
  if (result.outcome === 'declined') {
    return newEvent({ type: 'PaymentFailed', paymentId, correlationId, data: { reason: result.reason } });
  }
  return newEvent({
    type: 'PaymentSucceeded',
    paymentId,
    correlationId,
    data: { chargeId: result.chargeId, planId: data.planId, amount: data.amount, customer: data.customer },
  });
}
