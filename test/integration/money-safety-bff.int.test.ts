import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { topicsWithPrefix } from '../../contracts/index.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { sleep } from '../../lib/sleep.js';
import { readDeadLetters } from '../support/dead-letters.js';
import { control, pay } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

let system: System;
let redis: Redis;
beforeAll(async () => {
  system = await startSystem();
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await system?.stop();
  await redis?.quit();
});

describe('a payment snapshot in Redis that cannot be read', () => {
  it('dead-letters the status event that meets it with SNAPSHOT_UNREADABLE, and the partition moves on', async () => {
    const topics = topicsWithPrefix(system.topicPrefix);
    // Slow charges: the snapshot is spoilt before PaymentSucceeded reaches the BFF.
    await control(system.billingGatesUrl, { latencyMs: 1_500 });
    try {
      const payment = await pay(system.bffUrl);
      await redis.set(`payflow:payment:${payment.paymentId}:snapshot`, '{"paymentId": "half a snapsh');

      const [deadLetter] = await readDeadLetters(system.kafkaBrokers, [topics.paymentsSucceeded], 1, 30_000);
      expect(deadLetter?.headers['dlq-error-code']).toBe('SNAPSHOT_UNREADABLE');
      expect(deadLetter?.headers['dlq-error']).toContain(payment.paymentId);

      // The status group's commit point passes the record instead of holding at it.
      const admin = createKafka({ clientId: 'offsets', brokers: system.kafkaBrokers, logger: createLogger('test', 'silent') }).admin();
      await admin.connect();
      try {
        // Partitions that never had a record have nothing to commit (-1).
        const end = (await admin.fetchTopicOffsets(topics.paymentsSucceeded)).filter((p) => p.high !== '0');
        const committed = async () => {
          const [offsets] = await admin.fetchOffsets({ groupId: `${system.topicPrefix}payflow-bff-status`, topics: [topics.paymentsSucceeded] });
          return end.map((p) => [p.partition, offsets?.partitions.find((c) => c.partition === p.partition)?.offset]);
        };
        const wanted = end.map((p) => [p.partition, p.high]);
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline && JSON.stringify(await committed()) !== JSON.stringify(wanted)) await sleep(250);
        expect(await committed()).toEqual(wanted);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await control(system.billingGatesUrl, { latencyMs: 20 });
    }
  });
});
