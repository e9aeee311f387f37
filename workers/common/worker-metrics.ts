import { Counter, type Registry } from 'prom-client';

export interface WorkerMetrics {
  handled: Counter<'type'>;
  retries: Counter<'type'>;
  deadLettered: Counter<'topic'>;
  published: Counter<'type'>;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  return {
    handled: new Counter({ name: 'payflow_events_handled_total', help: 'Events handled to completion, by type.', labelNames: ['type'], registers: [registry] }),
    retries: new Counter({ name: 'payflow_handler_retries_total', help: 'Retries after a transient failure, by event type.', labelNames: ['type'], registers: [registry] }),
    deadLettered: new Counter({ name: 'payflow_dead_lettered_total', help: 'Records sent to a dead-letter topic, by source topic.', labelNames: ['topic'], registers: [registry] }),
    published: new Counter({ name: 'payflow_events_published_total', help: 'Events published, by type.', labelNames: ['type'], registers: [registry] }),
  };
}
