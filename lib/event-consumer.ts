import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { decodeEvent, PoisonRecordError, type PaymentEvent } from '../contracts/index.js';
import { backoffDelay } from './backoff.js';
import { deadLetterRecord, type DeadLetterSource } from './dead-letter.js';
import { PermanentError } from './downstream-error.js';
import type { RecordSender } from './event-publisher.js';
import type { Logger } from './logger.js';
import { PartitionProgress } from './partition-progress.js';
import { sleep } from './sleep.js';
import { contextFromHeaders, inSpan, SpanKind } from './tracing.js';

const SESSION_TIMEOUT_MS = 10_000;
const HEARTBEAT_INTERVAL_MS = 3_000;
/** How long finished records wait for their offsets to be committed together. */
const COMMIT_INTERVAL_MS = 100;
/** On stop, how long records in flight may take to finish before their handlers are told to give up. */
const DRAIN_MS = 5_000;

export interface HandlerContext {
  logger: Logger;
  /** Aborted when the consumer stops and the record did not finish in time: give up, it will be redelivered. */
  signal: AbortSignal;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Sends dead-lettered records; an EventPublisher, which replaces its producer after a failed send. */
  deadLetters?: RecordSender;
  /** Producer for dead-lettered records when `deadLetters` is not given (it is kept after a failed send: prefer `deadLetters`). */
  producer?: Producer;
  logger: Logger;
  /** How many partitions kafkajs hands over at once; default 1. */
  concurrency?: number;
  /** Records being handled at once by this member, over all its partitions; default 1000. */
  maxInFlight?: number;
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
 * `handle`. Records of different payments are handled side by side, also within a partition
 * (kafkajs alone handles a partition one record at a time and fetches again only when every
 * partition of the fetch is done, so one slow downstream call held up everything behind it);
 * records with the same key (paymentId) still run one after the other, in order. An offset is
 * committed only once its record and every record before it have been handled, so a crash
 * redelivers whatever was unfinished. Poison records and permanent failures go to the
 * dead-letter topic; any other error is retried with backoff while the partition moves on.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<RunningConsumer> {
  const { kafka, groupId, topics, logger } = options;
  const maxInFlight = options.maxInFlight ?? 1_000;
  const consumer = kafka.consumer({
    groupId,
    // A member killed without leaving holds its partitions this long before the group moves on.
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    // Bounds how long disconnect() waits for the fetch in flight (kafkajs default: 5 s).
    maxWaitTimeInMs: 1_000,
  });
  // Stopping starts no record and no retry; handlers in flight are cancelled only DRAIN_MS later.
  const stopping = new AbortController();
  const cancelling = new AbortController();
  const inFlight = new Set<Promise<void>>();
  /** The last record started per key, so the next one with that key waits for it. */
  const tails = new Map<string, Promise<void>>();
  const slotFreed = new Signal();
  const committer = new OffsetCommitter(consumer, logger);
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
  });
  // After a rebalance the group resumes from the committed offsets: progress kept for the old
  // assignment must not be committed any more (records still running finish, unrecorded).
  consumer.on(consumer.events.GROUP_JOIN, () => committer.reset());

  const processRecord = (source: DeadLetterSource) =>
    stopping.signal.aborted ? Promise.reject(new Error('the consumer is stopping')) : handleRecord(options, source, { stopping: stopping.signal, cancelling: cancelling.signal });

  const eachBatch = async (payload: EachBatchPayload) => {
    const { topic, partition } = payload.batch;
    const progress = committer.partition(topic, partition);
    for (const message of payload.batch.messages) {
      while (inFlight.size >= maxInFlight && !stopping.signal.aborted) {
        await slotFreed.wait(HEARTBEAT_INTERVAL_MS);
        await payload.heartbeat();
      }
      // What is not started is not resolved, so kafkajs fetches it again.
      if (!payload.isRunning() || payload.isStale() || stopping.signal.aborted) return;
      const offset = Number(message.offset);
      const key = `${topic}|${partition}|${message.key?.toString('latin1') ?? ''}`;
      progress.start(offset);
      const run = (tails.get(key) ?? Promise.resolve())
        .then(() => processRecord({ groupId, topic, partition, message }))
        .then(
          () => {
            progress.finish(offset);
            committer.schedule();
          },
          // Stopping: the offset stays uncommitted, so the next member picks the record up.
          (err: unknown) => logger.debug({ err, topic, partition, offset: message.offset }, 'record left for redelivery'),
        )
        .finally(() => {
          inFlight.delete(run);
          if (tails.get(key) === run) tails.delete(key);
          slotFreed.notify();
        });
      tails.set(key, run);
      inFlight.add(run);
      payload.resolveOffset(message.offset);
    }
  };

  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({ partitionsConsumedConcurrently: options.concurrency ?? 1, autoCommit: false, eachBatchAutoResolve: false, eachBatch });

  return {
    consumer,
    async stop() {
      stopping.abort();
      slotFreed.notify();
      const cancel = setTimeout(() => cancelling.abort(), DRAIN_MS);
      try {
        await Promise.allSettled([...inFlight]);
      } finally {
        clearTimeout(cancel);
      }
      await committer.flush();
      await consumer.disconnect();
    },
  };
}

/**
 * Decodes one record and handles it, retrying transient failures until it is done or the consumer
 * stops: `stopping` ends the retries, `cancelling` (later) the handler's own work.
 */
async function handleRecord(options: EventConsumerOptions, source: DeadLetterSource, { stopping, cancelling }: { stopping: AbortSignal; cancelling: AbortSignal }): Promise<void> {
  const { logger } = options;
  const { topic, partition, message } = source;
  let event: PaymentEvent;
  try {
    event = decodeEvent(message.value);
  } catch (err) {
    if (!(err instanceof PoisonRecordError)) throw err;
    logger.warn({ topic, partition, offset: message.offset, err }, 'poison record sent to the dead-letter topic');
    await retrying(stopping, logger, () => sendDeadLetter(options, source, err));
    options.onDeadLetter?.(topic, err);
    return;
  }
  const eventLogger = logger.child({ paymentId: event.paymentId, eventId: event.eventId, correlationId: event.correlationId, eventType: event.type });
  await retrying(
    stopping,
    eventLogger,
    async () => {
      try {
        // The record's headers carry the trace of the payment: the handling continues it.
        const attributes = { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.kafka.offset': message.offset, 'payment.id': event.paymentId };
        await inSpan(`process ${event.type}`, { kind: SpanKind.CONSUMER, parent: contextFromHeaders(message.headers), attributes }, () =>
          options.handle(event, { logger: eventLogger, signal: cancelling }),
        );
      } catch (err) {
        if (!(err instanceof PermanentError)) throw err;
        eventLogger.error({ err, topic, partition, offset: message.offset }, 'permanent failure; record sent to the dead-letter topic');
        await sendDeadLetter(options, source, err);
        options.onDeadLetter?.(topic, err);
      }
    },
    (attempt, err) => options.onRetry?.(event, attempt, err),
  );
}

async function sendDeadLetter(options: EventConsumerOptions, source: DeadLetterSource, err: Error): Promise<void> {
  const record = deadLetterRecord(source, err);
  if (options.deadLetters) await options.deadLetters.sendRecords([record]);
  else if (options.producer) await options.producer.send({ topic: record.topic, acks: -1, messages: [record.message] });
  else throw new Error('the event consumer has no dead-letter sender: pass deadLetters or producer');
}

/** Runs `attempt` until it resolves, with capped exponential backoff between failures; throws once `signal` aborts. */
async function retrying(signal: AbortSignal, logger: Logger, attempt: () => Promise<void>, onRetry?: (attempt: number, err: unknown) => void): Promise<void> {
  for (let failures = 0; ; failures++) {
    try {
      await attempt();
      return;
    } catch (err) {
      if (signal.aborted) throw err;
      const delay = backoffDelay(failures);
      // The message is enough here: a retry is expected, and a stack per attempt would drown the log.
      logger.warn({ error: err instanceof Error ? err.message : String(err), attempt: failures + 1, retryInMs: delay }, 'transient failure; retrying');
      onRetry?.(failures + 1, err);
      await sleep(delay, signal);
      if (signal.aborted) throw err;
    }
  }
}

/** Wakes whoever waits for a record to finish. */
class Signal {
  private waiters: (() => void)[] = [];

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Commits the finished prefix of every partition, at most every COMMIT_INTERVAL_MS, one commit at a time. */
class OffsetCommitter {
  private partitions = new Map<string, { topic: string; partition: number; progress: PartitionProgress }>();
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly logger: Logger,
  ) {}

  partition(topic: string, partition: number): PartitionProgress {
    const key = `${topic}|${partition}`;
    let entry = this.partitions.get(key);
    if (entry === undefined) {
      entry = { topic, partition, progress: new PartitionProgress() };
      this.partitions.set(key, entry);
    }
    return entry.progress;
  }

  reset(): void {
    this.partitions = new Map();
  }

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, COMMIT_INTERVAL_MS);
  }

  /** Commits what has finished by now; waits for a commit already under way first. */
  async flush(): Promise<void> {
    while (this.committing) await this.committing;
    const due = [...this.partitions.values()].flatMap((entry) => {
      const point = entry.progress.commitPoint();
      return point === undefined ? [] : [{ ...entry, point }];
    });
    if (due.length === 0) return;
    this.committing = this.consumer
      .commitOffsets(due.map(({ topic, partition, point }) => ({ topic, partition, offset: String(point) })))
      .then(
        () => due.forEach(({ progress, point }) => progress.committedAt(point)),
        (err: unknown) => {
          // Not lost: the records are redelivered to whoever owns the partition next, or committed with the next flush.
          this.logger.warn({ err }, 'offset commit failed; will try again');
          this.schedule();
        },
      )
      .finally(() => (this.committing = undefined));
    await this.committing;
  }
}
