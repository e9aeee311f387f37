import express from 'express';
import type { Registry } from 'prom-client';
import { allTopicNames, topicsWithPrefix } from '../../contracts/index.js';
import { registerConsumerLag } from '../../lib/consumer-lag.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { startEventConsumer } from '../../lib/event-consumer.js';
import { EventPublisher } from '../../lib/event-publisher.js';
import { healthRoutes } from '../../lib/health-routes.js';
import { closeServer, listen } from '../../lib/http-server.js';
import { createEventProducer, createKafka } from '../../lib/kafka.js';
import { kafkaConnection } from '../../lib/kafka-connection.js';
import { ensureTopics } from '../../lib/kafka-topics.js';
import type { Logger } from '../../lib/logger.js';
import { consumerMetricHooks, createMetricsRegistry } from '../../lib/metrics.js';
import { topicsReadBy, type EventsReadBy, type PaymentEvent, type Process } from '../../contracts/index.js';
import { delayNoticeSender, type NoticeSender } from './delay-notice-sender.js';
import type { StepRecord } from './step-budget.js';
import type { WorkerConfig } from './worker-config.js';
import { createWorkerMetrics } from './worker-metrics.js';

/**
 * Handles one event type: does the step's downstream work and returns the event that records its
 * outcome, or null when the event asks for none (nothing is published, and the record is done).
 */
export type StepHandler<E extends PaymentEvent> = (event: E, record: StepRecord) => Promise<PaymentEvent | null>;
/** A worker is one of the lifecycle's processes other than the BFF. */
export type WorkerRole = Exclude<Process, 'bff'>;
/** One handler for each event type the lifecycle's table has the worker read, and no other. */
export type StepHandlers<R extends WorkerRole> = { [T in EventsReadBy<R>]: StepHandler<Extract<PaymentEvent, { type: T }>> };

export interface WorkerDefinition<R extends WorkerRole> {
  /** Its consumer group reads the topics of the events the lifecycle's table has this role read (contracts/lifecycle.ts). */
  role: R;
  /** One handler per event type the worker acts on, given the registry for downstream metrics and where delay notices go. */
  createHandlers: (registry: Registry, notices: NoticeSender) => StepHandlers<R>;
}

export interface RunningWorker {
  port: number;
  stop: () => Promise<void>;
}

/**
 * How long an outcome waits for the others of its bunch before it is sent: the records of one
 * fetch start together and their downstream calls end within a few milliseconds of each other.
 */
const OUTCOME_LINGER_MS = 5;

/** Runs one worker: its consumer group member, its producer, and /healthz + /metrics. */
export async function startWorker<R extends WorkerRole>(definition: WorkerDefinition<R>, config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const topics = topicsWithPrefix(config.KAFKA_TOPIC_PREFIX);
  const registry = createMetricsRegistry(definition.role);
  const kafka = createKafka({ clientId: `payflow-${definition.role}`, brokers: config.KAFKA_BROKERS, connection: kafkaConnection(config), logger, registry });
  await ensureTopics(kafka, allTopicNames(topics), { partitions: config.TOPIC_PARTITIONS, durability: config });

  const metrics = createWorkerMetrics(registry);
  const publisher = new EventPublisher({ createProducer: () => createEventProducer(kafka), topics, logger, lingerMs: OUTCOME_LINGER_MS });
  await publisher.connect();
  const handlers = definition.createHandlers(registry, delayNoticeSender({ publisher, logger, published: metrics.published }));

  const groupId = `${config.KAFKA_TOPIC_PREFIX}payflow-${definition.role}`;
  const consumed = topicsReadBy(definition.role, topics);
  const consumer = await startEventConsumer({
    kafka,
    groupId,
    topics: consumed,
    deadLetters: publisher,
    logger,
    concurrency: config.TOPIC_PARTITIONS,
    handle: async (event, { logger, signal, fence, seen }) => {
      const outcome = await runStep(handlers, event, { signal, seen });
      if (outcome === null) {
        metrics.handled.inc({ type: event.type });
        logger.info(`${event.type} handled; nothing to publish`);
        return;
      }
      // A member paused past the session timeout finishes its records when it resumes, before it
      // learns that their partitions moved: the new owner publishes their outcomes, not us.
      await fence();
      await publisher.publish(outcome);
      metrics.handled.inc({ type: event.type });
      metrics.published.inc({ type: outcome.type });
      logger.info({ published: outcome.type, publishedEventId: outcome.eventId }, `${event.type} handled`);
    },
    ...consumerMetricHooks(metrics),
  });

  const admin = kafka.admin();
  await admin.connect();
  registerConsumerLag(registry, { admin, groupId, topics: consumed, logger });
  const app = express().use(healthRoutes({ dependencies: { kafka: async () => void (await admin.describeCluster()) } }, registry));
  const { server, port } = await listen(app, config.PORT, config.HOST);
  logger.info({ port }, `${definition.role} running`);

  return {
    port,
    async stop() {
      await consumer.stop();
      await publisher.disconnect();
      await admin.disconnect();
      await closeServer(server);
    },
  };
}

function runStep<R extends WorkerRole>(handlers: StepHandlers<R>, event: PaymentEvent, record: StepRecord): Promise<PaymentEvent | null> {
  // The map is keyed by event type, so the handler found takes exactly this event's type.
  const handler = (handlers as Partial<Record<PaymentEvent['type'], StepHandler<PaymentEvent>>>)[event.type];
  if (handler === undefined) {
    throw new PermanentError('UNEXPECTED_EVENT', `${event.type} is not handled here; it was published to the wrong topic`);
  }
  return handler(event, record);
}
