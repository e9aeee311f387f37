import { newEvent, SIGN_IN_UNAVAILABLE, type PaymentEvent, type PaymentSucceeded, type Reason } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import type { TokenCipher } from '../../lib/token-cipher.js';
import type { StepBudget, StepRecord } from '../common/step-budget.js';
import type { SignInAlert } from './sign-in-alert.js';
import type { ConfirmedOrder, UdiClient } from './udi-client.js';

export interface CompleteOrderOptions {
  /** Seals the SSO token before it goes to Kafka. */
  cipher: TokenCipher;
  /** How long after the charge Udi may keep failing before the order is given up (cancelled in Udi and refunded) unless Udi confirmed it. */
  deadlineMs: number;
  now?: () => number;
}

const NOT_COMPLETED: Reason = { code: 'ORDER_NOT_COMPLETED', message: 'We could not set up your account in time.' };
const REFUSED: Reason = { code: 'ORDER_REFUSED', message: 'Our account system could not set up your account.' };

/** Udi has the payment's order confirmed but refused, for good, to issue a new sign-in token for it. */
class SignInRefusedError extends PermanentError {
  constructor(
    readonly orderId: string,
    readonly refusal: PermanentError,
  ) {
    super(refusal.code, `order ${orderId} is confirmed but a new sign-in token was refused (${refusal.message})`);
  }
}

/**
 * PaymentSucceeded → create the order in Udi (idempotent by paymentId) → confirm it, which
 * issues the SSO token → OrderConfirmed. An order Udi rejects or refuses, or that keeps failing
 * past the deadline, is given up, and the give-up is made final in Udi before it is published:
 * Udi cancels the order, or bars a payment that has none yet (POST /orders/cancel), so no create or
 * confirmation still on its way inside Udi, and no redo of this record, can confirm it after
 * OrderFailed (a redo is refused ORDER_CANCELLED, and gives up the same way again). An order Udi
 * answers is confirmed already (its answer was lost) is never given up: it is confirmed again for a
 * fresh one-time token and becomes OrderConfirmed. Until Udi answers the cancel, the record waits
 * in Kafka: a payment is never both confirmed in Udi and refunded.
 *
 * Udi refusing that new token for good is asked again until the step's settle window ends
 * (StepBudget), then the payment ends confirmed without a token (the shopper signs in by hand) and
 * operators are alerted. A cancel Udi refuses for good leaves nothing known: the record is
 * dead-lettered for an operator once the window ends.
 */
export function completeOrder(
  udi: UdiClient,
  event: PaymentSucceeded,
  options: { cipher: TokenCipher; budget: StepBudget; alert: SignInAlert },
  record: StepRecord,
): Promise<PaymentEvent> {
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

  const confirmAgain = async (orderId: string) => {
    try {
      return orderConfirmed(await udi.confirmOrder(orderId, signal));
    } catch (err) {
      throw err instanceof PermanentError ? new SignInRefusedError(orderId, err) : err;
    }
  };
  const giveUp = async (reason: Reason) => {
    const order = await udi.cancelOrder(paymentId, signal);
    return order.status === 'cancelled' ? orderFailed(reason) : confirmAgain(order.orderId);
  };

  return options.budget.run<PaymentEvent>(event, record, {
    attempt: async () => {
      const created = await udi.createOrder({ paymentId, planId: data.planId, email: data.customer.email }, signal);
      if (created.outcome === 'rejected') return giveUp(created.reason);
      return orderConfirmed(await udi.confirmOrder(created.orderId, signal));
    },
    giveUp: (cause) => giveUp(cause.kind === 'permanent' ? REFUSED : NOT_COMPLETED),
    unresolved: (error) => {
      if (!(error instanceof SignInRefusedError)) throw error;
      options.alert({ paymentId, orderId: error.orderId, refusal: error.refusal });
      return Promise.resolve(
        newEvent({ type: 'OrderConfirmed', paymentId, correlationId, data: { orderId: error.orderId, signInUnavailable: SIGN_IN_UNAVAILABLE } }),
      );
    },
  });
}
