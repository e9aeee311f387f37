import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { decodeEvent, PoisonRecordError, type PaymentEvent } from '../contracts/index.js';
import { isPermanent } from '../contracts/payflow-error.js';
import { deadLetterRecord, type DeadLetterSource } from './dead-letter.js';
import type { RecordSender } from './event-publisher.js';
import { allowListeners, Generation, GroupGenerations } from './group-generation.js';
import { linkedSignal } from './linked-signal.js';
import { FetchPacer } from './fetch-pacer.js';
import { CONSUMER_FETCH, FETCH_INTERVAL_MS, GROUP_MEMBERSHIP } from './kafka.js';
import type { Logger } from './logger.js';
import { OffsetCommitter } from './offset-committer.js';
import { PartitionHandovers, sightingOf, type RecordSighting } from './partition-handover.js';
import { RecordScheduler } from './record-scheduler.js';
import { replayMeantForAnotherGroup } from './replay-target.js';
import { retrying } from './retry-loop.js';
import { StaleMemberError } from './stale-member-error.js';
import { contextFromHeaders, inSpan, SpanKind } from './tracing.js';

export interface HandlerContext {
  logger: Logger;
  /** Aborted when the consumer stops and the record did not finish in time, or when the member lost the record's partition: give up, it will be redelivered. */
  signal: AbortSignal;
  /**
   * Resolves once the group coordinator has confirmed that this member still owns the record's
   * partition; call it right before publishing the record's outcome. Rejects with a
   * StaleMemberError (code PARTITION_REVOKED) when the partition has moved to another member,
   * which handles the record again: publish nothing then, and let the error propagate. Calls from
   * records in flight at the same time share one request.
   */
  fence: () => Promise<void>;
  /** How long the consumer group has seen the record, and whether this member is the first that could have handled it: what step budgets count from. */
  seen: RecordSighting;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Sends dead-lettered records: an EventPublisher, which replaces its producer after a failed send. */
  deadLetters: RecordSender;
  logger: Logger;
  /** How many partitions kafkajs hands over at once; default 1. */
  concurrency?: number;
  /** Records being handled at once by this member, over all its partitions; default 1000. */
  maxInFlight?: number;
  /**
   * On stop, how long records in flight may take to finish before their handlers are told to give
   * up (they are redelivered to the partition's next owner); default 5000 ms. The offsets of what
   * finished are committed and the group is left after it, within the process' stop limit.
   */
  drainMs?: number;
  handle: (event: PaymentEvent, ctx: HandlerContext) => Promise<void>;
  onRetry?: (event: PaymentEvent, attempt: number, error: unknown) => void;
  onDeadLetter?: (topic: string, error: Error) => void;
  /** Told of each record replayed for another consumer group, which this member passed over. */
  onReplaySkipped?: (topic: string) => void;
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
 * redelivers whatever was unfinished. Poison records and errors that say retrying cannot help
 * (`retryable: false`, contracts/payflow-error.ts) go to the dead-letter topic; any other error is
 * retried with backoff while the partition moves on. A record replayed from a dead-letter topic
 * for another consumer group (`npm run dlq replay`) is passed over: this group handled it when it
 * was first published, and doing so again would redo a step that is finished (a second confirm, a
 * second token).
 *
 * Each record is handed over with how long the group has seen it (`ctx.seen`): from when this
 * member started it, or from earlier, by the age the partition's previous owner committed with
 * its offset (lib/record-ages.ts, read back by lib/partition-handover.ts), so step budgets go on
 * across restarts and rebalances without comparing clocks of different machines.
 *
 * A member can lose its partitions without knowing yet (paused past the session timeout, cut off
 * from the coordinator) while their records are redone by the new owner. So a record publishes
 * nothing unless the coordinator confirms, right before, that the member is still in the
 * generation the record was fetched in (`ctx.fence()`, also before a dead letter); and when the
 * member rejoins, the records of the earlier generation stop retrying, their handlers are
 * cancelled, and their offsets are never committed. What remains is the time between the
 * confirmation and the broker's acknowledgement of the publish: kafkajs has no transactional
 * fencing of a consumer group's generation (KIP-447), so an outcome published in that window can
 * still be published by the new owner too.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<RunningConsumer> {
  const { kafka, groupId, topics, logger } = options;
  const consumer = kafka.consumer({
    groupId,
    ...GROUP_MEMBERSHIP,
    ...CONSUMER_FETCH,
  });
  // Stopping starts no record and no retry; handlers in flight are cancelled only drainMs later.
  const stopping = new AbortController();
  const maxInFlight = options.maxInFlight ?? 1_000;
  allowListeners(maxInFlight, stopping.signal);
  const scheduler = new RecordScheduler(maxInFlight);
  /** The clock records are first seen on, and their ages measured with: this process' own, monotonic. */
  const now = () => performance.now();
  const committer = new OffsetCommitter(consumer, logger, { now });
  const generations = new GroupGenerations(maxInFlight);
  const admin = kafka.admin();
  const handovers = new PartitionHandovers(admin, groupId, logger);
  const pacer = new FetchPacer(FETCH_INTERVAL_MS);
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
  });
  // Every join resumes from the committed offsets: progress kept for the old assignment must not
  // be committed any more, and the records still running must neither retry nor publish.
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    committer.reset();
    generations.joined();
    handovers.joined(payload.memberAssignment);
  });

  const eachBatch = async (payload: EachBatchPayload) => {
    const { topic, partition } = payload.batch;
    const generation = generations.current;
    const progress = committer.partition(topic, partition);
    const handover = await handovers.of(topic, partition);
    for (const message of payload.batch.messages) {
      while (scheduler.full && !stopping.signal.aborted) {
        await scheduler.waitForSlot(GROUP_MEMBERSHIP.heartbeatInterval);
        await payload.heartbeat();
      }
      // What is not started is not resolved, so kafkajs fetches it again.
      if (!payload.isRunning() || payload.isStale() || stopping.signal.aborted || generation.isSuperseded) return;
      const offset = Number(message.offset);
      const source = { groupId, topic, partition, message };
      const { firstSeenAt, firstHere } = sightingOf(handover, message, now());
      progress.start(offset, firstSeenAt);
      committer.keepAgesCommitted();
      const seen = { ageMs: () => now() - firstSeenAt, firstHere };
      scheduler.run(`${topic}|${partition}|${message.key?.toString('latin1') ?? ''}`, () =>
        (stopping.signal.aborted
          ? Promise.reject(new Error('the consumer is stopping'))
          : handleRecord(options, source, { stopping: stopping.signal, generation, committer, seen })
        ).then(
          () => {
            progress.finish(offset);
            committer.schedule();
          },
          // Stopping, or the partition moved: the offset stays uncommitted, so the owner picks the record up.
          (err: unknown) => logger.debug({ err, topic, partition, offset: message.offset }, 'record left for redelivery'),
        ),
      );
      payload.resolveOffset(message.offset);
    }
    // The next fetch gathers what arrives meanwhile, rather than bring one record at a time.
    await pacer.pace(stopping.signal);
  };

  await admin.connect();
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({ partitionsConsumedConcurrently: options.concurrency ?? 1, autoCommit: false, eachBatchAutoResolve: false, eachBatch });
  // run() returns once the member has joined; the partitions' ends are read at the join. Until that
  // read is answered (right after topics are made, a new leader may answer late), a record
  // published now would be counted as one an earlier owner may have tried ("you will not be
  // charged twice" rather than "nothing has been charged"): the consumer is started once it knows.
  await handovers.settled();

  return {
    consumer,
    async stop() {
      stopping.abort();
      scheduler.wake();
      const cancel = setTimeout(() => generations.current.cancel(), options.drainMs ?? 5_000);
      try {
        await scheduler.settled();
      } finally {
        clearTimeout(cancel);
      }
      // The records left unfinished are redelivered: their ages go with the offset, as they are now.
      await committer.flush({ ages: 'now' });
      committer.close();
      try {
        await consumer.disconnect();
      } finally {
        await admin.disconnect();
      }
    },
  };
}

interface RecordScope {
  /** Aborted when the consumer stops: no further retry. */
  stopping: AbortSignal;
  /** The group generation the record was fetched in. */
  generation: Generation;
  committer: OffsetCommitter;
  seen: RecordSighting;
}

/**
 * Decodes one record and handles it, retrying transient failures until it is done, the consumer
 * stops or the record's generation is superseded; the handler is cancelled later (on stop) or at
 * once (superseded). Nothing is published for a record whose partition this member has lost.
 */
async function handleRecord(options: EventConsumerOptions, source: DeadLetterSource, { stopping, generation, committer, seen }: RecordScope): Promise<void> {
  const { logger } = options;
  const { topic, partition, message } = source;
  const replayFor = replayMeantForAnotherGroup(message.headers, options.groupId);
  if (replayFor !== undefined) {
    // The replay refuses a record whose key is not its paymentId, so the key names the payment.
    logger.debug(
      { paymentId: message.key?.toString(), topic, partition, offset: message.offset, replayFor },
      'record replayed for another consumer group; passed over',
    );
    options.onReplaySkipped?.(topic);
    return;
  }
  const fence = async () => {
    if (generation.isSuperseded) throw new StaleMemberError('the group has rebalanced since the record was fetched');
    await committer.confirmMembership(topic, partition);
    // A join may have completed while the commit was in flight (kafkajs then committed with the new generation).
    if (generation.isSuperseded) throw new StaleMemberError('the group has rebalanced since the record was fetched');
  };
  const retryOptions = (recordLogger: Logger) => ({
    signals: [stopping, generation.supersededSignal],
    logger: recordLogger,
    isFinal: (err: unknown) => err instanceof StaleMemberError,
  });
  const deadLetter = async (err: Error) => {
    await fence();
    const record = deadLetterRecord(source, err);
    await options.deadLetters.sendRecords([record]);
    options.onDeadLetter?.(topic, err);
  };

  let event: PaymentEvent;
  try {
    event = decodeEvent(message.value);
  } catch (err) {
    if (!(err instanceof PoisonRecordError)) throw err;
    logger.warn({ topic, partition, offset: message.offset, err }, 'poison record sent to the dead-letter topic');
    await retrying(() => deadLetter(err), retryOptions(logger));
    return;
  }
  const eventLogger = logger.child({ paymentId: event.paymentId, eventId: event.eventId, correlationId: event.correlationId, eventType: event.type });
  try {
    await retrying(
      async () => {
        try {
          // The record's headers carry the trace of the payment: the handling continues it.
          const attributes = {
            'messaging.system': 'kafka',
            'messaging.destination.name': topic,
            'messaging.kafka.offset': message.offset,
            'payment.id': event.paymentId,
          };
          // A signal per attempt: the handler may combine it with timeouts (AbortSignal.any), which
          // on Node 20 would otherwise stay attached to the generation's signal for its whole life.
          const cancel = linkedSignal(generation.handlerSignal);
          try {
            await inSpan(`process ${event.type}`, { kind: SpanKind.CONSUMER, parent: contextFromHeaders(message.headers), attributes }, () =>
              options.handle(event, { logger: eventLogger, signal: cancel.signal, fence, seen }),
            );
          } finally {
            cancel.release();
          }
        } catch (err) {
          if (!isPermanent(err)) throw err;
          eventLogger.error({ err, topic, partition, offset: message.offset }, 'permanent failure; record sent to the dead-letter topic');
          await deadLetter(err);
        }
      },
      { ...retryOptions(eventLogger), onRetry: (attempt, err) => options.onRetry?.(event, attempt, err) },
    );
  } catch (err) {
    if (err instanceof StaleMemberError)
      eventLogger.warn(
        { code: err.code, topic, partition, offset: message.offset, reason: err.message },
        'partition lost to a rebalance; outcome not published',
      );
    throw err;
  }
}
