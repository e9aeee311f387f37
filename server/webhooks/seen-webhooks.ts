import type { Redis } from 'ioredis';

/** How long a webhook's id is remembered: far longer than a sender retries one delivery. */
export const SEEN_WEBHOOK_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The ids of the webhooks already published, in Redis (so across replicas), each for
 * SEEN_WEBHOOK_TTL_SECONDS. An id is marked only once its event was acknowledged by Kafka: a
 * webhook whose publish failed is not known here, and its retry is taken afresh. Two deliveries
 * at the same moment, a mark Redis lost, or a retry after the TTL are published twice, which the
 * reader of the event must take (it does not trust the webhook anyway).
 */
export class SeenWebhooks {
  private readonly base: string;

  /** `prefix` keeps deployments sharing a Redis apart (the KAFKA_TOPIC_PREFIX); `sender` names whose ids these are. */
  constructor(
    private readonly redis: Redis,
    prefix: string,
    sender: string,
    private readonly ttlSeconds = SEEN_WEBHOOK_TTL_SECONDS,
  ) {
    this.base = `payflow:${prefix}webhooks:${sender}:`;
  }

  async has(id: string): Promise<boolean> {
    return (await this.redis.exists(this.key(id))) === 1;
  }

  async mark(id: string): Promise<void> {
    await this.redis.set(this.key(id), '1', 'EX', this.ttlSeconds, 'NX');
  }

  private key(id: string): string {
    return `${this.base}${id}`;
  }
}
