import type { Kafka, Producer } from 'kafkajs';
import type { Topics } from '../../contracts/index.js';
import { startEventConsumer, type RunningConsumer } from '../../lib/event-consumer.js';
import type { Logger } from '../../lib/logger.js';
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

/**
 * The BFF replicas' one consumer group: turns status events into snapshots in Redis and pushes
 * each change to the payment's room, wherever in the cluster its socket is.
 */
export function startStatusConsumer(deps: StatusConsumerDeps): Promise<RunningConsumer> {
  const { topics } = deps;
  return startEventConsumer({
    kafka: deps.kafka,
    groupId: deps.groupId,
    topics: [topics.paymentsSucceeded, topics.paymentsFailed, topics.ordersConfirmed, topics.ordersFailed, topics.paymentsRefunded],
    producer: deps.producer,
    logger: deps.logger,
    concurrency: deps.concurrency,
    onDeadLetter: (topic) => deps.metrics.deadLettered.inc({ topic }),
    handle: async (event, { logger }) => {
      const snapshot = await applyEvent(deps.payments, event, deps.signInLandingUrl);
      if (snapshot === null) {
        logger.debug('event changes nothing (redelivered or out of date)');
        return;
      }
      pushSnapshot(deps.io, deps.reveal(snapshot));
      deps.metrics.statusChanges.inc({ status: snapshot.status });
      logger.info({ status: snapshot.status, seq: snapshot.seq }, 'status changed and pushed');
    },
  });
}
