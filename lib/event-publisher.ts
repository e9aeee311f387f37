import type { Producer, TopicMessages } from 'kafkajs';
import { EVENT_TOPIC, encodeEvent, type PaymentEvent, type Topics } from '../contracts/index.js';

interface Waiting {
  events: PaymentEvent[];
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
 * events are acknowledged (or rejects with the request's error).
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
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      if (!this.sending) void this.sendWaiting();
    });
  }

  private async sendWaiting(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const calls = this.waiting.splice(0, MAX_CALLS_PER_REQUEST);
      try {
        await this.producer.sendBatch({ acks: -1, topicMessages: this.byTopic(calls.flatMap((call) => call.events)) });
        for (const call of calls) call.resolve();
      } catch (err) {
        for (const call of calls) call.reject(err);
      }
    }
    this.sending = false;
  }

  private byTopic(events: PaymentEvent[]): TopicMessages[] {
    const byTopic = new Map<string, TopicMessages>();
    for (const event of events) {
      const topic = this.topics[EVENT_TOPIC[event.type]];
      const entry = byTopic.get(topic) ?? { topic, messages: [] };
      entry.messages.push(encodeEvent(event));
      byTopic.set(topic, entry);
    }
    return [...byTopic.values()];
  }
}
