import type { Kafka, Producer } from 'kafkajs';
import type { PaymentSnapshot, Topics } from '../../contracts/index.js';
import { startEventConsumer, type RunningConsumer } from '../../lib/event-consumer.js';
import type { Logger } from '../../lib/logger.js';
import { consumerMetricHooks } from '../../lib/metrics.js';
import type { BffMetrics } from '../metrics.js';
import type { PaymentStore } from '../payments/payment-store.js';
import { pushSnapshot, type PaymentSocketServer } from '../realtime/socket-server.js';
import { applyEvent } from './apply-event.js';
import type { RevealSnapshot } from './reveal-snapshot.js';

export interface StatusConsumerDeps {
  kafka: Kafka;
  producer: Producer;
  topics: Topics;
  groupId: string;
  payments: PaymentStore;
  io: PaymentSocketServer;
  signInLandingUrl: string;
  reveal: RevealSnapshot;
  logger: Logger;
  metrics: BffMetrics;
  concurrency: number;
}

/** Seconds from the payment's 202 to this snapshot, when the acceptance time is known. */
export function secondsSinceAccepted(snapshot: PaymentSnapshot): number | undefined {
  if (snapshot.acceptedAt === undefined) return undefined;
  return Math.max(0, (Date.parse(snapshot.updatedAt) - Date.parse(snapshot.acceptedAt)) / 1000);
}

/** The topics whose events change what the shopper sees. */
export function statusTopics(topics: Topics): string[] {
  return [topics.paymentsSucceeded, topics.paymentsFailed, topics.ordersConfirmed, topics.ordersFailed, topics.paymentsRefunded];
}

/**
 * The BFF replicas' one consumer group: turns status events into snapshots in Redis and pushes
 * each change to the payment's room, wherever in the cluster its socket is.
 */
export function startStatusConsumer(deps: StatusConsumerDeps): Promise<RunningConsumer> {
  const { metrics } = deps;
  return startEventConsumer({
    kafka: deps.kafka,
    groupId: deps.groupId,
    topics: statusTopics(deps.topics),
    producer: deps.producer,
    logger: deps.logger,
    concurrency: deps.concurrency,
    ...consumerMetricHooks(metrics),
    handle: async (event, { logger }) => {
      const change = await applyEvent(deps.payments, event, deps.signInLandingUrl);
      if (change === null) {
        logger.debug('event changes nothing (redelivered or out of date)');
        return;
      }
      const { from, snapshot } = change;
      pushSnapshot(deps.io, deps.reveal(snapshot));
      metrics.pushes.inc({ kind: 'change' });
      metrics.statusChanges.inc({ status: snapshot.status });
      const seconds = secondsSinceAccepted(snapshot);
      if (seconds !== undefined) metrics.secondsToStatus.observe({ status: snapshot.status }, seconds);
      logger.info({ from, status: snapshot.status, seq: snapshot.seq, secondsSinceAccepted: seconds }, 'status changed and pushed');
    },
  });
}
