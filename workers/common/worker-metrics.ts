import { Counter, type Registry } from 'prom-client';
import { createConsumerMetrics, type ConsumerMetrics } from '../../lib/metrics.js';

export interface WorkerMetrics extends ConsumerMetrics {
  handled: Counter<'type'>;
  published: Counter<'type'>;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  return {
    ...createConsumerMetrics(registry),
    handled: new Counter({ name: 'payflow_events_handled_total', help: 'Events handled to completion, by type.', labelNames: ['type'], registers: [registry] }),
    published: new Counter({ name: 'payflow_events_published_total', help: 'Events published, by type.', labelNames: ['type'], registers: [registry] }),
  };
}
