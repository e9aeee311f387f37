import type { Producer } from 'kafkajs';
import { EVENT_TOPIC, encodeEvent, type PaymentEvent, type Topics } from '../contracts/index.js';

/** Publishes payment events to their topics, keyed by paymentId, acknowledged by all in-sync replicas. */
export class EventPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly topics: Topics,
  ) {}

  async publish(...events: PaymentEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: events.map((event) => ({
        topic: this.topics[EVENT_TOPIC[event.type]],
        messages: [encodeEvent(event)],
      })),
    });
  }
}
