import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { topicsWithPrefix } from '../../contracts/index.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { sleep } from '../../lib/sleep.js';
import { readDeadLetters } from '../support/dead-letters.js';
import { sha256 } from '../../server/payments/idempotency-store.js';
import { freezeListener } from '../support/process-on-port.js';
import { control, ledger, pay, paymentRequest, postPayment } from './harness/shopper.js';
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

describe('a publish to Kafka that cannot be confirmed', () => {
  const brokerPort = () => Number(new URL(`kafka://${system.kafkaBrokers[0]!}`).port);

  it('when the broker freezes until the publish times out and then writes it, the 503 does not say "nothing was charged" and the payment is kept, with and without an Idempotency-Key', async () => {
    const idempotencyKey = crypto.randomUUID();
    const keyed = paymentRequest();
    const chargedBefore = new Set((await ledger(system.billingGatesUrl)).map((entry) => entry.paymentId));
    const thaw = freezeListener(brokerPort());
    let answers: Array<{ status: number; body: any }>;
    try {
      answers = await Promise.all([postPayment(system.bffUrl, keyed, { 'Idempotency-Key': idempotencyKey }), postPayment(system.bffUrl, paymentRequest())]);
    } finally {
      thaw();
    }
    const [withKey, withoutKey] = answers;
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('PAYMENT_NOT_CONFIRMED');
      expect(answer.body.error.message).not.toMatch(/nothing was charged/i);
    }
    expect(withKey!.body.error.message).toMatch(/same Idempotency-Key/);
    expect(withoutKey!.body.error.message).toMatch(/second payment/);

    // The frozen broker had the records in its socket: once thawed it writes them, and both are charged.
    const newCharges = async () => (await ledger(system.billingGatesUrl)).filter((entry) => entry.kind === 'charge' && !chargedBefore.has(entry.paymentId));
    const deadline = Date.now() + 60_000;
    while ((await newCharges()).length < 2 && Date.now() < deadline) await sleep(500);
    const charged = (await newCharges()).map((entry) => entry.paymentId);
    expect(charged).toHaveLength(2);
    // Neither payment was forgotten: its secret hash and status are still there for the payer.
    for (const paymentId of charged) {
      expect(await redis.exists(`payflow:payment:${paymentId}:secret`, `payflow:payment:${paymentId}:snapshot`)).toBe(2);
    }

    // The retry with the same key names the same payment, and it is charged once.
    const retried = await postPayment(system.bffUrl, keyed, { 'Idempotency-Key': idempotencyKey });
    expect(retried.status).toBe(202);
    expect(charged).toContain(retried.body.paymentId);
    await sleep(2_000);
    expect((await ledger(system.billingGatesUrl, retried.body.paymentId)).filter((entry) => entry.kind === 'charge')).toHaveLength(1);
  });

  it('when the publish is acknowledged but the idempotency record cannot be updated (Redis refuses writes), the answer is 202', async () => {
    const idempotencyKey = crypto.randomUUID();
    const request = paymentRequest();
    const [, previousLimit] = (await redis.config('GET', 'maxmemory')) as [string, string];
    const [, previousPolicy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    const thaw = freezeListener(brokerPort());
    let answer: { status: number; body: any };
    try {
      const posting = postPayment(system.bffUrl, request, { 'Idempotency-Key': idempotencyKey });
      // The payment is stored and its publish waits on the frozen broker: now Redis refuses writes (OOM)...
      await until(async () => (await redis.exists(`payflow:idempotency:${sha256(idempotencyKey)}`)) === 1, 10_000);
      await sleep(500);
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      await redis.config('SET', 'maxmemory', '1');
      // ...and the broker acknowledges the publish well within the request timeout.
      thaw();
      answer = await posting;
    } finally {
      thaw();
      await redis.config('SET', 'maxmemory', previousLimit);
      await redis.config('SET', 'maxmemory-policy', previousPolicy);
    }
    expect(answer.body).toMatchObject({ status: 'processing' });
    expect(answer.status).toBe(202);
    // A replay publishes again with the same paymentId (the record still says not accepted); one charge.
    const replay = await postPayment(system.bffUrl, request, { 'Idempotency-Key': idempotencyKey });
    expect(replay.body.paymentId).toBe(answer.body.paymentId);
    await until(async () => (await ledger(system.billingGatesUrl, answer.body.paymentId)).length > 0, 30_000);
    await sleep(2_000);
    expect((await ledger(system.billingGatesUrl, answer.body.paymentId)).filter((entry) => entry.kind === 'charge')).toHaveLength(1);
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(100);
  }
}
