import { Counter, type Registry } from 'prom-client';

/** Billing Gates' own metrics, beside the request durations every stand-in has. */
export interface BillingGatesMetrics {
  challenges: Counter<'event'>;
  webhookDeliveries: Counter<'result'>;
  webhookRetries: Counter;
}

export function createBillingGatesMetrics(registry: Registry): BillingGatesMetrics {
  return {
    challenges: new Counter({
      name: 'payflow_stand_in_challenges_total',
      help: 'Challenges (3-D Secure) of charges that required action, by event: asked, completed, failed, abandoned.',
      labelNames: ['event'],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'payflow_stand_in_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by result: delivered (answered 2xx) or failed (any other answer, or none).',
      labelNames: ['result'],
      registers: [registry],
    }),
    webhookRetries: new Counter({
      name: 'payflow_stand_in_webhook_retries_total',
      help: 'Webhook deliveries scheduled again after a failed attempt.',
      registers: [registry],
    }),
  };
}
