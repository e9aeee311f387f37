import type { RequestHandler } from 'express';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** A Prometheus registry with the process' default metrics, labelled with its role. */
export function createMetricsRegistry(role: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** GET /metrics: the registry in Prometheus' text format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
}

/** What every consumer group member counts, BFF and workers alike (lib/event-consumer.ts calls them). */
export interface ConsumerMetrics {
  retries: Counter<'type'>;
  deadLettered: Counter<'topic'>;
  replaysSkipped: Counter<'topic'>;
}

export function createConsumerMetrics(registry: Registry): ConsumerMetrics {
  return {
    retries: new Counter({
      name: 'payflow_handler_retries_total',
      help: 'Retries after a transient failure, by event type.',
      labelNames: ['type'],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'payflow_dead_lettered_total',
      help: 'Records sent to a dead-letter topic, by source topic.',
      labelNames: ['topic'],
      registers: [registry],
    }),
    replaysSkipped: new Counter({
      name: 'payflow_replays_skipped_total',
      help: 'Records replayed from a dead-letter topic for another consumer group, passed over by this one, by topic.',
      labelNames: ['topic'],
      registers: [registry],
    }),
  };
}

/** The `onRetry`, `onDeadLetter` and `onReplaySkipped` hooks of an event consumer, counting into `metrics`. */
export function consumerMetricHooks(metrics: ConsumerMetrics) {
  return {
    onRetry: (event: { type: string }) => metrics.retries.inc({ type: event.type }),
    onDeadLetter: (topic: string) => metrics.deadLettered.inc({ topic }),
    onReplaySkipped: (topic: string) => metrics.replaysSkipped.inc({ topic }),
  };
}
