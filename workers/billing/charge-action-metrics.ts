import { Counter, type Registry } from 'prom-client';
import type { PaymentEvent } from '../../contracts/index.js';

/** How a charge that asked the shopper to confirm at their bank ended: confirmed and charged, failed at the bank, abandoned, or otherwise (voided past the charge budget, unresolved). */
export type ChargeActionEnd = 'completed' | 'failed' | 'abandoned' | 'other';

/** Counts the charges that asked for the shopper's action (3-D Secure), and how each ended: `payflow_charge_actions_total{outcome}`. */
export interface ChargeActionMetrics {
  /** Billing Gates answered a charge requires_action. */
  asked(): void;
  /** The step that settled or expired a charge that required action publishes `outcome` (null: nothing). */
  ended(outcome: PaymentEvent | null): void;
}

/** What the outcome the billing worker publishes says of the challenge. */
export function actionEnd(outcome: PaymentEvent): ChargeActionEnd {
  if (outcome.type === 'PaymentSucceeded') return 'completed';
  if (outcome.type !== 'PaymentFailed') return 'other';
  switch (outcome.data.reason.code) {
    case 'AUTHENTICATION_FAILED':
      return 'failed';
    case 'AUTHENTICATION_ABANDONED':
      return 'abandoned';
    default:
      return 'other';
  }
}

export function createChargeActionMetrics(registry: Registry): ChargeActionMetrics {
  const actions = new Counter({
    name: 'payflow_charge_actions_total',
    help: 'Charges that asked the shopper to confirm at their bank (3-D Secure), by outcome: "asked" when Billing Gates answers requires_action; then "completed" (charged), "failed" (AUTHENTICATION_FAILED), "abandoned" (AUTHENTICATION_ABANDONED: expired at the bank, or voided at the deadline) or "other" (voided past the charge budget, or unresolved). Counted when the outcome is published, so a redelivered record counts again.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['asked', 'completed', 'failed', 'abandoned', 'other'] as const) actions.inc({ outcome }, 0);
  return {
    asked: () => actions.inc({ outcome: 'asked' }),
    ended: (outcome) => {
      if (outcome !== null) actions.inc({ outcome: actionEnd(outcome) });
    },
  };
}
