import { Counter, Gauge, type Registry } from 'prom-client';

export interface BffMetrics {
  paymentsAccepted: Counter;
  statusChanges: Counter<'status'>;
  socketsConnected: Gauge;
  deadLettered: Counter<'topic'>;
}

export function createBffMetrics(registry: Registry): BffMetrics {
  return {
    paymentsAccepted: new Counter({ name: 'payflow_payments_accepted_total', help: 'Payments answered 202 (PaymentInitiated in Kafka).', registers: [registry] }),
    statusChanges: new Counter({ name: 'payflow_payment_status_changes_total', help: 'Snapshot changes pushed to sockets, by new status.', labelNames: ['status'], registers: [registry] }),
    socketsConnected: new Gauge({ name: 'payflow_sockets_connected', help: 'Shopper sockets connected to this replica.', registers: [registry] }),
    deadLettered: new Counter({ name: 'payflow_dead_lettered_total', help: 'Records sent to a dead-letter topic, by source topic.', labelNames: ['topic'], registers: [registry] }),
  };
}
