import type { ChargeActionSettled } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';

/**
 * ChargeActionSettled is not acted on yet: the step that confirms the settled charge with Billing
 * Gates' charge lookup and publishes PaymentSucceeded or PaymentFailed replaces this. Until then
 * the payment stays `requires_action`, and each settlement read is logged at warn, so it is seen.
 */
export function chargeActionNotHandledYet(logger: Logger) {
  return (event: ChargeActionSettled): Promise<null> => {
    const { webhookEventId, chargeId, status } = event.data;
    logger.warn({ paymentId: event.paymentId, webhookEventId, chargeId, status }, 'ChargeActionSettled is not handled yet');
    return Promise.resolve(null);
  };
}
