import { newEvent, type PaymentEvent, type PaymentSucceeded, type Reason } from '../../contracts/index.js';
import type { TokenCipher } from '../../lib/token-cipher.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import type { GiveUpCause, StepBudget, StepRecord } from '../common/step-budget.js';
import type { ConfirmedOrder, UdiClient } from './udi-client.js';

export interface CompleteOrderOptions {
  /** Seals the SSO token before it goes to Kafka. */
  cipher: TokenCipher;
  /** How long after the charge Udi may keep failing before the order is reconciled, and refunded unless Udi confirmed it. */
  deadlineMs: number;
  now?: () => number;
}

const NOT_COMPLETED: Reason = { code: 'ORDER_NOT_COMPLETED', message: 'We could not set up your account in time.' };
const REFUSED: Reason = { code: 'ORDER_REFUSED', message: 'Our account system could not set up your account.' };

/**
 * PaymentSucceeded → create the order in Udi (idempotent by paymentId) → confirm it, which
 * issues the SSO token → OrderConfirmed. An order Udi rejects becomes OrderFailed, which the
 * billing worker answers with a refund. When Udi refuses a call for good, or keeps failing past
 * the deadline, a confirm may still have happened with its answer lost, so Udi is asked first:
 * an order it confirmed is confirmed again (a fresh one-time token) and becomes OrderConfirmed;
 * only an order it does not have confirmed is given up. Until Udi answers, the record waits in
 * Kafka: a payment is never both confirmed in Udi and refunded.
 */
export function completeOrder(udi: UdiClient, event: PaymentSucceeded, options: { cipher: TokenCipher; budget: StepBudget }, record: StepRecord): Promise<PaymentEvent> {
  const { paymentId, correlationId, data } = event;
  const { signal } = record;
  const orderConfirmed = (confirmed: ConfirmedOrder) =>
    newEvent({
      type: 'OrderConfirmed',
      paymentId,
      correlationId,
      data: { orderId: confirmed.orderId, encryptedSsoToken: options.cipher.encrypt(confirmed.ssoToken), ssoTokenExpiresAt: confirmed.expiresAt },
    });
  const orderFailed = (reason: Reason) => newEvent({ type: 'OrderFailed', paymentId, correlationId, data: { chargeId: data.chargeId, reason } });

  return options.budget.run<PaymentEvent>(event, record, {
    attempt: async () => {
      const created = await udi.createOrder({ paymentId, planId: data.planId, email: data.customer.email }, signal);
      if (created.outcome === 'rejected') return orderFailed(created.reason);
      return orderConfirmed(await udi.confirmOrder(created.orderId, signal));
    },
    giveUp: async (cause: GiveUpCause) => {
      const found = await udi.findOrder(paymentId, signal);
      if (found.status !== 'confirmed') return orderFailed(cause.kind === 'permanent' ? REFUSED : NOT_COMPLETED);
      try {
        return orderConfirmed(await udi.confirmOrder(found.orderId, signal));
      } catch (err) {
        // Udi has the order confirmed: refunding it is not an option, so ask again, however long it takes.
        if (err instanceof TransientDownstreamError) throw err;
        throw new TransientDownstreamError('udi', `order ${found.orderId} is confirmed but a new sign-in token was refused (${err instanceof Error ? err.message : String(err)})`);
      }
    },
  });
}
