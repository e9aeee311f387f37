import { Counter, type Registry } from 'prom-client';
import type { PermanentError } from '../../lib/downstream-error.js';
import type { Logger } from '../../lib/logger.js';

/** Tells operators that a payment ended without knowing whether its card was charged: an error line naming it, and a counter to alert on. */
export type ChargeUnresolvedAlert = (unresolved: { paymentId: string; refusal: PermanentError }) => void;

export function createChargeUnresolvedAlert(registry: Registry, logger: Logger): ChargeUnresolvedAlert {
  const unresolved = new Counter({
    name: 'payflow_charges_unresolved_total',
    help: 'Charges given up whose void Billing Gates kept refusing past the settle window: each payment ended failed CHARGE_UNRESOLVED and may be charged until support settles it.',
    registers: [registry],
  });
  return ({ paymentId, refusal }) => {
    unresolved.inc();
    logger.error(
      { paymentId, code: 'CHARGE_UNRESOLVED', refusal: refusal.code, error: refusal.message },
      "charge unresolved: Billing Gates refused to void the payment's charge key or say what it did under it; look the charge up by hand and return it if there is one (payment shown as failed CHARGE_UNRESOLVED)",
    );
  };
}
