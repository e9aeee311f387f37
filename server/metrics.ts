import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createConsumerMetrics, type ConsumerMetrics } from '../lib/metrics.js';

export interface BffMetrics extends ConsumerMetrics {
  paymentsAccepted: Counter;
  /** Counted by the replica that projected the change; the terminal ones are those the lifecycle's table marks so (TERMINAL_STATUSES). */
  statusChanges: Counter<'status'>;
  secondsToStatus: Histogram<'status'>;
  socketsConnected: Gauge;
  pushes: Counter<'kind'>;
  /** Billing Gates' webhook deliveries, by what became of each (server/webhooks/). */
  webhooks: Counter<'outcome'>;
}

export function createBffMetrics(registry: Registry): BffMetrics {
  return {
    ...createConsumerMetrics(registry),
    paymentsAccepted: new Counter({
      name: 'payflow_payments_accepted_total',
      help: 'Payments answered 202 (PaymentInitiated in Kafka).',
      registers: [registry],
    }),
    statusChanges: new Counter({
      name: 'payflow_payment_status_changes_total',
      help: 'Snapshot changes pushed to sockets, by new status.',
      labelNames: ['status'],
      registers: [registry],
    }),
    secondsToStatus: new Histogram({
      name: 'payflow_payment_seconds_to_status',
      help: 'Time from the 202 to each status of a payment, by status.',
      labelNames: ['status'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
    socketsConnected: new Gauge({ name: 'payflow_sockets_connected', help: 'Shopper sockets connected to this replica.', registers: [registry] }),
    pushes: new Counter({
      name: 'payflow_socket_pushes_total',
      help: 'Snapshots pushed: "join" to one socket as it connects, "change" to the payment\'s room on every replica, "again" when a redelivered event finds its change already saved.',
      labelNames: ['kind'],
      registers: [registry],
    }),
    webhooks: new Counter({
      name: 'payflow_webhooks_total',
      help: 'Billing Gates webhook deliveries: "published" (as ChargeActionSettled), "duplicate" (an id already published; nothing sent), "refused" (bad signature, stale, or not a charge.settled event; 400), "not_published" (Kafka did not acknowledge; 503, the sender retries).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
