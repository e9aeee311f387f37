import { Counter, type Registry } from 'prom-client';
import type { PermanentError } from '../../lib/downstream-error.js';
import type { Logger } from '../../lib/logger.js';

/** Tells operators that a confirmed order got no sign-in token: an error line naming the payment, and a counter to alert on. */
export type SignInAlert = (unavailable: { paymentId: string; orderId: string; refusal: PermanentError }) => void;

export function createSignInAlert(registry: Registry, logger: Logger): SignInAlert {
  const withoutSignIn = new Counter({
    name: 'payflow_orders_without_sign_in_total',
    help: 'Orders Udi confirmed but would not issue a sign-in token for, past the order deadline and its settle window: each shopper must sign in by hand.',
    registers: [registry],
  });
  return ({ paymentId, orderId, refusal }) => {
    withoutSignIn.inc();
    logger.error(
      { paymentId, orderId, code: 'SIGN_IN_UNAVAILABLE', refusal: { code: refusal.code, message: refusal.message } },
      'order confirmed in Udi without a sign-in token: Udi refused a new one for good; the shopper was told to sign in by hand (payment shown as confirmed)',
    );
  };
}
