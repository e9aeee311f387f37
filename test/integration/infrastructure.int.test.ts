import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKafka } from '../../lib/kafka.js';
import { ensureTopics } from '../../lib/kafka-topics.js';
import { createLogger } from '../../lib/logger.js';
import { connectRedis } from '../../lib/redis-connection.js';

const logger = createLogger('infrastructure-test', 'warn');

describe('the infrastructure started by the global setup', () => {
  const kafka = createKafka({ clientId: 'infrastructure-test', brokers: inject('kafkaBrokers'), logger });
  const redis = connectRedis(inject('redisUrl'));

  afterAll(async () => {
    await redis.quit();
  });

  it('a record produced with acks from all in-sync replicas is consumed back through a consumer group', async () => {
    const topic = `infrastructure-test-${randomUUID()}`;
    await ensureTopics(kafka, [topic], { partitions: 3 });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'payment-1', value: 'hello' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `infrastructure-test-${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<{ key: string; value: string }>((resolve) => {
        void consumer.run({
          eachMessage: ({ message }) => {
            resolve({ key: String(message.key), value: String(message.value) });
            return Promise.resolve();
          },
        });
      });
      expect(received).toEqual({ key: 'payment-1', value: 'hello' });
    } finally {
      await consumer.disconnect();
    }
  });

  it('Redis stores a value and returns it', async () => {
    const key = `infrastructure-test:${randomUUID()}`;
    await redis.set(key, 'stored', 'EX', 60);
    expect(await redis.get(key)).toBe('stored');
  });
});
