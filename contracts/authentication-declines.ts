import type { ChargeActionDecline } from './charge-webhook.js';
import type { Reason } from './reason.js';

/**
 * The reason a `failed` payment carries when its charge asked the shopper to confirm at their bank
 * and they did not: the billing worker fails the payment with these words, and the page says the
 * bank did not confirm it. Nothing was charged in either case.
 */
export const AUTHENTICATION_DECLINED: Readonly<Record<ChargeActionDecline, Reason>> = {
  AUTHENTICATION_FAILED: {
    code: 'AUTHENTICATION_FAILED',
    message: 'Your bank could not confirm that it was you, so the payment was declined. You have not been charged.',
  },
  AUTHENTICATION_ABANDONED: {
    code: 'AUTHENTICATION_ABANDONED',
    message: 'The payment was not confirmed with your bank in time, so it was cancelled. You have not been charged.',
  },
};

/** Whether a failed payment's reason is a bank's check the shopper did not pass or finish. */
export function isAuthenticationDecline(code: string): code is ChargeActionDecline {
  return Object.hasOwn(AUTHENTICATION_DECLINED, code);
}
