import { newEvent, type PaymentEvent, type PaymentSucceeded } from '../../contracts/index.js';
import type { TokenCipher } from '../../lib/token-cipher.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import type { UdiClient } from './udi-client.js';

export interface CompleteOrderOptions {
  /** Seals the SSO token before it goes to Kafka. */
  cipher: TokenCipher;
  /** How long after the charge Udi may keep failing before the order is given up and refunded. */
  deadlineMs: number;
  now?: () => number;
}

/**
 * PaymentSucceeded → create the order in Udi (idempotent by paymentId) → confirm it, which
 * issues the SSO token → OrderConfirmed. An order Udi refuses, or one Udi keeps failing past the
 * deadline, becomes OrderFailed, which the billing worker answers with a refund.
 */
export async function completeOrder(udi: UdiClient, event: PaymentSucceeded, options: CompleteOrderOptions, signal?: AbortSignal): Promise<PaymentEvent> {
  const { paymentId, correlationId, data } = event;
  const orderFailed = (reason: { code: string; message: string }) =>
    newEvent({ type: 'OrderFailed', paymentId, correlationId, data: { chargeId: data.chargeId, reason } });
  try {
    const created = await udi.createOrder({ paymentId, planId: data.planId, email: data.customer.email }, signal);
    if (created.outcome === 'rejected') return orderFailed(created.reason);
    const confirmed = await udi.confirmOrder(created.orderId, signal);
    return newEvent({
      type: 'OrderConfirmed',
      paymentId,
      correlationId,
      data: { orderId: confirmed.orderId, encryptedSsoToken: options.cipher.encrypt(confirmed.ssoToken), ssoTokenExpiresAt: confirmed.expiresAt },
    });
  } catch (err) {
    // The deadline counts from the charge, so a worker restart does not reset it; but every
    // record gets this one try first, so a worker that was down does not refund its backlog unseen.
    const age = (options.now ?? Date.now)() - Date.parse(event.occurredAt);
    if (err instanceof TransientDownstreamError && age > options.deadlineMs) {
      return orderFailed({ code: 'ORDER_NOT_COMPLETED', message: 'We could not set up your account in time.' });
    }
    throw err;
  }
}
