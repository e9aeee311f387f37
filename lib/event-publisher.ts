import type { Message, Producer, TopicMessages } from 'kafkajs';
import { EVENT_TOPIC, encodeEvent, type PaymentEvent, type Topics } from '../contracts/index.js';
import { inSpan, SpanKind, withTraceHeaders } from './tracing.js';

interface Waiting {
  records: Array<{ topic: string; message: Message }>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Calls sent together at most; more wait for the next request. */
const MAX_CALLS_PER_REQUEST = 500;

/**
 * Publishes payment events to their topics, keyed by paymentId, acknowledged by all in-sync
 * replicas. The idempotent producer has one request in flight and kafkajs turns every send into
 * its own request, so publishing call by call queued each payment behind the previous one's round
 * trip; instead, the calls that arrive while a request is in flight go out together in the next
 * one. Nothing waits when the producer is idle, and each caller still resolves only once its own
 * events are acknowledged (or rejects with the request's error). Each call's records carry the
 * caller's trace context (`traceparent`), so their consumers continue the payment's trace.
 */
export class EventPublisher {
  private waiting: Waiting[] = [];
  private sending = false;

  constructor(
    private readonly producer: Producer,
    private readonly topics: Topics,
  ) {}

  publish(...events: PaymentEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const attributes = { 'messaging.system': 'kafka', 'payment.id': events[0]!.paymentId };
    return inSpan(`publish ${events.map((event) => event.type).join(', ')}`, { kind: SpanKind.PRODUCER, attributes }, () => {
      // Encoded here, in the caller's context, which the batch they are sent in does not have.
      const records = events.map((event) => {
        const record = encodeEvent(event);
        return { topic: this.topics[EVENT_TOPIC[event.type]], message: { ...record, headers: withTraceHeaders(record.headers) } };
      });
      return new Promise<void>((resolve, reject) => {
        this.waiting.push({ records, resolve, reject });
        if (!this.sending) void this.sendWaiting();
      });
    });
  }

  private async sendWaiting(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const calls = this.waiting.splice(0, MAX_CALLS_PER_REQUEST);
      try {
        await this.producer.sendBatch({ acks: -1, topicMessages: byTopic(calls.flatMap((call) => call.records)) });
        for (const call of calls) call.resolve();
      } catch (err) {
        for (const call of calls) call.reject(err);
      }
    }
    this.sending = false;
  }

}

function byTopic(records: Array<{ topic: string; message: Message }>): TopicMessages[] {
  const topics = new Map<string, TopicMessages>();
  for (const { topic, message } of records) {
    const entry = topics.get(topic) ?? { topic, messages: [] };
    entry.messages.push(message);
    topics.set(topic, entry);
  }
  return [...topics.values()];
}
