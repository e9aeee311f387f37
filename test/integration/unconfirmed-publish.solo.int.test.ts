import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePorts } from '../../infra/free-port.js';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-kafka.js';
import { createLogger } from '../../lib/logger.js';
import { connectRedis } from '../../lib/redis-connection.js';
import { sleep } from '../../lib/sleep.js';
import { sha256 } from '../../server/payments/idempotency-store.js';
import { until } from '../support/until.js';
import { freezeListeners } from './harness/freeze-listener.js';
import { ledger, paymentRequest, postPayment } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

/**
 * A publish that Kafka cannot confirm, made by freezing the broker while it is in flight. These
 * tests time a request against a stopped process and count on the broker reading what was left
 * in its socket when it resumes, so they run alone, after the integration lanes
 * (`*.solo.int.test.ts`, scripts/integration-lanes.mjs): with the other lane's processes on the
 * same two cores, the publish sometimes never reached the broker's socket before the answer.
 */
let system: System;
let redis: Redis;
beforeAll(async () => {
  system = await startSystem();
  redis = connectRedis(inject('redisUrl'));
});
afterAll(async () => {
  await system?.stop();
  await redis?.quit();
});

describe('a publish to Kafka that cannot be confirmed', () => {
  // These tests freeze the broker while a publish is in flight and count on it keeping what it
  // read: one broker does. A frozen cluster does not: on resume its controller fences the leader,
  // and the record, on no follower yet, is truncated (the 503 is still right, but nothing is
  // charged). So on a cluster (KAFKA_NODES=3) they run on a single broker of their own.
  let target: System;
  let ownKafka: LocalKafka | undefined;
  let stateDir: string | undefined;
  beforeAll(async () => {
    if (system.kafkaBrokers.length === 1) {
      target = system;
      return;
    }
    stateDir = await mkdtemp(join(tmpdir(), 'payflow-unconfirmed-'));
    const [port, controllerPort] = (await freePorts(2)) as [number, number];
    ownKafka = await startLocalKafka({ nodes: [{ port, controllerPort }], home: join(stateDir, 'kafka'), log: createLogger('test-kafka', 'warn') });
    target = await startSystem({ kafkaBrokers: ownKafka.brokers });
  });
  afterAll(async () => {
    if (target !== system) await target?.stop();
    await ownKafka?.stop();
    if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
  });
  const brokerPorts = () => target.kafkaBrokers.map((broker) => Number(new URL(`kafka://${broker}`).port));

  it('when the publish is acknowledged but the idempotency record cannot be updated (Redis refuses writes), the answer is 202', async () => {
    const idempotencyKey = crypto.randomUUID();
    const request = paymentRequest();
    const [, previousLimit] = (await redis.config('GET', 'maxmemory')) as [string, string];
    const [, previousPolicy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    const thaw = freezeListeners(brokerPorts());
    let answer: { status: number; body: any };
    try {
      const posting = postPayment(target.bffUrl, request, { 'Idempotency-Key': idempotencyKey });
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
    const replay = await postPayment(target.bffUrl, request, { 'Idempotency-Key': idempotencyKey });
    expect(replay.body.paymentId).toBe(answer.body.paymentId);
    await until(async () => (await ledger(target.billingGatesUrl, answer.body.paymentId)).length > 0, 30_000);
    await sleep(2_000);
    expect((await ledger(target.billingGatesUrl, answer.body.paymentId)).filter((entry) => entry.kind === 'charge')).toHaveLength(1);
  });

  /**
   * Posts while the broker is frozen (SIGSTOP) until the publish times out, then thaws it: the
   * broker reads the request it had in its socket and writes the record, so the payment is charged.
   * One request per freeze: a second batch sent during the same freeze reuses the timed-out one's
   * producer sequence number (kafkajs rolls it back) and would be dropped as its duplicate.
   */
  async function postWhileBrokerFrozen(
    request: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ answer: { status: number; body: any }; chargedPaymentId: string }> {
    const chargedBefore = new Set((await ledger(target.billingGatesUrl)).map((entry) => entry.paymentId));
    const thaw = freezeListeners(brokerPorts());
    let answer: { status: number; body: any };
    try {
      answer = await postPayment(target.bffUrl, request, headers);
    } finally {
      thaw();
    }
    const newCharges = async () => (await ledger(target.billingGatesUrl)).filter((entry) => entry.kind === 'charge' && !chargedBefore.has(entry.paymentId));
    await until(async () => (await newCharges()).length > 0, 60_000);
    const charged = await newCharges();
    expect(charged).toHaveLength(1);
    return { answer, chargedPaymentId: charged[0]!.paymentId };
  }

  it('when the broker writes a publish that timed out, the 503 to a request with an Idempotency-Key does not say "nothing was charged", and the retry with the key names the charged payment', async () => {
    const idempotencyKey = crypto.randomUUID();
    const request = paymentRequest();
    const { answer, chargedPaymentId } = await postWhileBrokerFrozen(request, { 'Idempotency-Key': idempotencyKey });
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('PAYMENT_NOT_CONFIRMED');
    expect(answer.body.error.message).not.toMatch(/nothing was charged/i);
    expect(answer.body.error.message).toMatch(/same Idempotency-Key/);

    const retried = await postPayment(target.bffUrl, request, { 'Idempotency-Key': idempotencyKey });
    expect(retried.status).toBe(202);
    expect(retried.body.paymentId).toBe(chargedPaymentId);
    await sleep(2_000);
    expect((await ledger(target.billingGatesUrl, chargedPaymentId)).filter((entry) => entry.kind === 'charge')).toHaveLength(1);
  });

  it('when the broker writes a publish that timed out, the 503 to a request without an Idempotency-Key does not say "nothing was charged", and the charged payment is not forgotten', async () => {
    const { answer, chargedPaymentId } = await postWhileBrokerFrozen(paymentRequest());
    // Its status is still there (its client secret is derived, never stored): the payment can be followed and reconciled.
    expect(await redis.exists(`payflow:payment:${chargedPaymentId}:snapshot`)).toBe(1);
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('PAYMENT_NOT_CONFIRMED');
    expect(answer.body.error.message).not.toMatch(/nothing was charged/i);
    expect(answer.body.error.message).toMatch(/second payment/);
  });
});
