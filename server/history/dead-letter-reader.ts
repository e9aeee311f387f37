import type { Consumer, Kafka } from 'kafkajs';
import { deadLetterTopic, type Topics } from '../../contracts/index.js';
import { REPLAY_OF_HEADER } from '../../lib/dead-letter.js';
import { GROUP_MEMBERSHIP } from '../../lib/kafka.js';
import type { Logger } from '../../lib/logger.js';
import type { LiveView } from '../ops/live-view.js';
import { readDeadLetter } from './dead-letter-facts.js';
import type { PaymentHistory } from './payment-history.js';

export interface DeadLetterReaderDeps {
  kafka: Kafka;
  topics: Topics;
  groupId: string;
  history: PaymentHistory;
  liveView: LiveView;
  logger: Logger;
}

export interface RunningDeadLetterReader {
  stop: () => Promise<void>;
}

/** Every dead-letter topic, whichever consumer (BFF or worker) writes to it. */
export function deadLetterTopics(topics: Topics): string[] {
  return Object.values(topics).map(deadLetterTopic);
}

/**
 * The BFF replicas' group over every `.dlq` topic: each dead-lettered record, from any consumer,
 * goes into its payment's history (the record's key is the paymentId) and among the live view's
 * errors, once. It reads the records raw: a dead letter is often a record that cannot be decoded.
 */
export async function startDeadLetterReader({ kafka, topics, groupId, history, liveView, logger }: DeadLetterReaderDeps): Promise<RunningDeadLetterReader> {
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 1_000, ...GROUP_MEMBERSHIP });
  consumer.on(consumer.events.CRASH, ({ payload }) => logger.error({ err: payload.error, restart: payload.restart }, 'dead-letter reader crashed'));
  await consumer.connect();
  await consumer.subscribe({ topics: deadLetterTopics(topics), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      // A note of `npm run dlq replay` that a dead letter above it was replayed: not a failure.
      if (message.headers?.[REPLAY_OF_HEADER] !== undefined) return;
      const read = readDeadLetter(topic, partition, message);
      if (read === null) {
        logger.warn({ topic, partition, offset: message.offset }, 'a record without dlq-* headers on a dead-letter topic; skipped');
        return;
      }
      const { paymentId, facts } = read;
      logger.info({ paymentId, topic: facts.sourceTopic, code: facts.code, consumerGroup: facts.consumerGroup }, 'dead-lettered record recorded');
      await Promise.all([
        paymentId === undefined ? undefined : history.deadLettered(paymentId, facts),
        liveView.deadLettered({
          at: facts.failedAt,
          code: facts.code,
          message: facts.message.slice(0, 300),
          topic: facts.sourceTopic,
          ...(paymentId === undefined ? {} : { paymentId }),
        }),
      ]);
    },
  });
  return { stop: () => consumer.disconnect() };
}
