import type { Message, Producer, TopicMessages } from 'kafkajs';
import { EVENT_TOPIC, encodeEvent, type PaymentEvent, type Topics } from '../contracts/index.js';
import { PayflowError } from '../contracts/payflow-error.js';
import type { Logger } from './logger.js';
import { inSpan, SpanKind, withTraceHeaders } from './tracing.js';

/** One record to send, already encoded. */
export interface OutgoingRecord {
  topic: string;
  message: Message;
}

/** What sends records for others, e.g. the event consumer's dead letters. */
export interface RecordSender {
  sendRecords: (records: OutgoingRecord[]) => Promise<void>;
}

export interface EventPublisherOptions {
  /** Makes a new, unconnected producer: one at the start, and a fresh one after every failed send. */
  createProducer: () => Producer;
  topics: Topics;
  logger: Logger;
  /** Calls that may wait for the producer at once; beyond that, publish rejects at once with PUBLISH_QUEUE_FULL. Default 10,000. */
  maxWaiting?: number;
  /**
   * How long a call that finds the producer idle waits for others to share its request; default 0
   * (none: the BFF's answer waits on it). A worker's outcomes come in bunches, the records of one
   * fetch finishing within a few milliseconds of each other: without a linger the first went out
   * alone and the rest in a second request.
   */
  lingerMs?: number;
}

/** The publisher's queue is full: Kafka is slow or away; the caller should answer "try again" at once. */
export class PublishQueueFullError extends PayflowError<'PUBLISH_QUEUE_FULL'> {
  constructor(limit: number) {
    super('PUBLISH_QUEUE_FULL', `${limit} publish calls are already waiting for Kafka; nothing was sent for this one. Try again in a few seconds.`, {
      retryable: true,
    });
  }
}

interface Waiting {
  records: OutgoingRecord[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Calls sent together at most; more wait for the next request. */
const MAX_CALLS_PER_REQUEST = 500;
const DEFAULT_MAX_WAITING = 10_000;

/**
 * Publishes payment events to their topics, keyed by paymentId, acknowledged by all in-sync
 * replicas. The idempotent producer has one request in flight and kafkajs turns every send into
 * its own request, so publishing call by call queued each payment behind the previous one's round
 * trip; instead, the calls that arrive while a request is in flight go out together in the next
 * one. Nothing waits when the producer is idle, and each caller still resolves only once its own
 * events are acknowledged (or rejects with the request's error). Each call's records carry the
 * caller's trace context (`traceparent`), so their consumers continue the payment's trace.
 *
 * After any failed send the producer is replaced (a new producer id) before the next send:
 * kafkajs gives a failed batch's sequence numbers back (node_modules/kafkajs/src/producer/
 * sendMessages.js), so when the failed send was in fact written (a request that timed out on a
 * slow or paused broker), the next batch would reuse its sequence numbers and the broker would
 * acknowledge it as a duplicate without writing it. A new producer id starts new sequences.
 *
 * The calls waiting are bounded (`maxWaiting`): while Kafka is away, a call beyond the bound is
 * refused at once rather than held until memory runs out.
 */
export class EventPublisher implements RecordSender {
  private waiting: Waiting[] = [];
  private sending = false;
  private producer: Producer | undefined;
  /** The last send failed: the producer's sequence numbers may be behind what the broker wrote. */
  private poisoned = false;
  private readonly maxWaiting: number;

  constructor(private readonly options: EventPublisherOptions) {
    this.maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
  }

  /** Connects the first producer, so that a broker that is away is reported at start. */
  async connect(): Promise<void> {
    await this.usableProducer();
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect();
  }

  publish(...events: PaymentEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const attributes = { 'messaging.system': 'kafka', 'payment.id': events[0]!.paymentId };
    return inSpan(`publish ${events.map((event) => event.type).join(', ')}`, { kind: SpanKind.PRODUCER, attributes }, () => {
      // Encoded here, in the caller's context, which the batch they are sent in does not have.
      const records = events.map((event) => {
        const record = encodeEvent(event);
        return { topic: this.options.topics[EVENT_TOPIC[event.type]], message: { ...record, headers: withTraceHeaders(record.headers) } };
      });
      return this.sendRecords(records);
    });
  }

  /** Sends records as they are (e.g. dead letters), with the same batching, acknowledgement and producer replacement as publish. */
  sendRecords(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new PublishQueueFullError(this.maxWaiting));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      if (this.sending) return;
      this.sending = true;
      const lingerMs = this.options.lingerMs ?? 0;
      if (lingerMs > 0) setTimeout(() => void this.sendWaiting(), lingerMs);
      else void this.sendWaiting();
    });
  }

  private async sendWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const calls = this.waiting.splice(0, MAX_CALLS_PER_REQUEST);
      try {
        const producer = await this.usableProducer();
        await producer.sendBatch({ acks: -1, topicMessages: byTopic(calls.flatMap((call) => call.records)) });
        for (const call of calls) call.resolve();
      } catch (err) {
        this.poisoned = true;
        for (const call of calls) call.reject(err);
      }
    }
    this.sending = false;
  }

  /** The producer to send with: after a failed send, a new one (new producer id, sequences from 0). */
  private async usableProducer(): Promise<Producer> {
    if (this.poisoned && this.producer !== undefined) {
      const old = this.producer;
      this.producer = undefined;
      this.options.logger.warn('a send failed; replacing the producer so the next batch gets a new producer id and fresh sequence numbers');
      await old.disconnect().catch((err: unknown) => this.options.logger.warn({ err }, 'the replaced producer did not disconnect cleanly'));
    }
    if (this.producer === undefined) {
      const producer = this.options.createProducer();
      try {
        await producer.connect();
      } catch (err) {
        await producer.disconnect().catch(() => undefined); // whatever connections it opened
        throw err;
      }
      this.producer = producer;
    }
    this.poisoned = false;
    return this.producer;
  }
}

function byTopic(records: OutgoingRecord[]): TopicMessages[] {
  const topics = new Map<string, TopicMessages>();
  for (const { topic, message } of records) {
    const entry = topics.get(topic) ?? { topic, messages: [] };
    entry.messages.push(message);
    topics.set(topic, entry);
  }
  return [...topics.values()];
}
