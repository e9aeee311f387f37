import type { Consumer, Kafka, Producer } from 'kafkajs';
import { decodeEvent, PoisonRecordError, type PaymentEvent } from '../contracts/index.js';
import { backoffDelay } from './backoff.js';
import { sendToDeadLetter } from './dead-letter.js';
import { PermanentError } from './downstream-error.js';
import type { Logger } from './logger.js';
import { sleep } from './sleep.js';

const SESSION_TIMEOUT_MS = 10_000;
const HEARTBEAT_INTERVAL_MS = 3_000;

export interface HandlerContext {
  logger: Logger;
  /** Aborted when the consumer is stopping: give up and let the record be redelivered. */
  signal: AbortSignal;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Producer for dead-lettered records. */
  producer: Producer;
  logger: Logger;
  /** How many partitions are handled at once; default 1. */
  concurrency?: number;
  handle: (event: PaymentEvent, ctx: HandlerContext) => Promise<void>;
  onRetry?: (event: PaymentEvent, attempt: number, error: unknown) => void;
  onDeadLetter?: (topic: string, error: Error) => void;
}

export interface RunningConsumer {
  consumer: Consumer;
  stop: () => Promise<void>;
}

/**
 * One consumer group member that decodes each record into a payment event and hands it to
 * `handle`. The offset is committed only after `handle` resolves, so a crash redelivers the
 * record. Poison records and permanent failures go to the dead-letter topic; any other error is
 * retried with backoff while the consumer keeps heartbeating, so it stays in its group.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<RunningConsumer> {
  const { kafka, groupId, topics, producer, logger } = options;
  const consumer = kafka.consumer({
    groupId,
    // A member killed without leaving holds its partitions this long before the group moves on.
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    // Bounds how long disconnect() waits for the fetch in flight (kafkajs default: 5 s).
    maxWaitTimeInMs: 1_000,
  });
  const stopping = new AbortController();
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
  });

  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: options.concurrency ?? 1,
    eachMessage: async (payload) => {
      const { topic, partition, message } = payload;
      let event: PaymentEvent;
      try {
        event = decodeEvent(message.value);
      } catch (err) {
        if (!(err instanceof PoisonRecordError)) throw err;
        logger.warn({ topic, partition, offset: message.offset, err }, 'poison record sent to the dead-letter topic');
        await sendToDeadLetter(producer, { groupId, topic, partition, message }, err);
        options.onDeadLetter?.(topic, err);
        return;
      }
      const eventLogger = logger.child({ paymentId: event.paymentId, eventId: event.eventId, correlationId: event.correlationId, eventType: event.type });
      for (let attempt = 0; ; attempt++) {
        try {
          await options.handle(event, { logger: eventLogger, signal: stopping.signal });
          return;
        } catch (err) {
          if (err instanceof PermanentError) {
            eventLogger.error({ err, topic, partition, offset: message.offset }, 'permanent failure; record sent to the dead-letter topic');
            await sendToDeadLetter(producer, { groupId, topic, partition, message }, err);
            options.onDeadLetter?.(topic, err);
            return;
          }
          const delay = backoffDelay(attempt);
          // The message is enough here: a retry is expected, and a stack per attempt would drown the log.
          eventLogger.warn({ error: err instanceof Error ? err.message : String(err), attempt: attempt + 1, retryInMs: delay }, 'transient failure; retrying');
          options.onRetry?.(event, attempt + 1, err);
          // kafkajs heartbeats only when asked, so a long wait is cut into heartbeat-sized pieces.
          for (let waited = 0; waited < delay && !stopping.signal.aborted; waited += HEARTBEAT_INTERVAL_MS) {
            await sleep(Math.min(HEARTBEAT_INTERVAL_MS, delay - waited), stopping.signal);
            await payload.heartbeat();
          }
          // Stopping: leave the offset uncommitted so the next member picks the record up.
          if (stopping.signal.aborted) throw err;
        }
      }
    },
  });

  return {
    consumer,
    async stop() {
      stopping.abort();
      await consumer.disconnect();
    },
  };
}
