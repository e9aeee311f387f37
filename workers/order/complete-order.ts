import { newEvent, type PaymentEvent, type PaymentSucceeded } from '../../contracts/index.js';
import type { UdiClient } from './udi-client.js';

/**
 * PaymentSucceeded → create the order in Udi (idempotent by paymentId) → confirm it, which
 * issues the SSO token → OrderConfirmed. An order Udi refuses becomes OrderFailed, which the
 * billing worker answers with a refund.
 */
export async function completeOrder(udi: UdiClient, event: PaymentSucceeded, signal?: AbortSignal): Promise<PaymentEvent> {
  const { paymentId, correlationId, data } = event;
  const created = await udi.createOrder({ paymentId, planId: data.planId, email: data.customer.email }, signal);
  if (created.outcome === 'rejected') {
    return newEvent({ type: 'OrderFailed', paymentId, correlationId, data: { chargeId: data.chargeId, reason: created.reason } });
  }
  const confirmed = await udi.confirmOrder(created.orderId, signal);
  return newEvent({
    type: 'OrderConfirmed',
    paymentId,
    correlationId,
    data: { orderId: confirmed.orderId, ssoToken: confirmed.ssoToken, ssoTokenExpiresAt: confirmed.expiresAt },
  });
}
