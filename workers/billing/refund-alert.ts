import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../../lib/logger.js';
import type { GiveUpCause } from '../common/step-budget.js';

/** Tells operators that a charge was not returned: an error line naming the payment, and a counter to alert on. */
export type RefundAlert = (failed: { paymentId: string; chargeId: string; cause: GiveUpCause }) => void;

export function createRefundAlert(registry: Registry, logger: Logger): RefundAlert {
  const refundsFailed = new Counter({
    name: 'payflow_refunds_failed_total',
    help: 'Refunds that did not go through (refused, or failing past REFUND_DEADLINE_MS): each is a shopper charged without an order until support returns the payment.',
    labelNames: ['cause'],
    registers: [registry],
  });
  return ({ paymentId, chargeId, cause }) => {
    refundsFailed.inc({ cause: cause.kind });
    const code = cause.kind === 'permanent' ? cause.error.code : 'REFUND_DEADLINE_PASSED';
    logger.error(
      { paymentId, chargeId, code, error: cause.error?.message },
      'refund did not go through: the shopper is charged without an order; return the payment by hand (payment shown as refund_failed)',
    );
  };
}
