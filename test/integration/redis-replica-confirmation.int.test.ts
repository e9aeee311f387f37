import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../infra/free-port.js';
import { startLocalRedis, type LocalRedis } from '../../infra/redis/local-redis.js';
import { spawnGuarded, type GuardedChild } from '../../infra/spawn-guarded.js';
import { createLogger } from '../../lib/logger.js';
import { sleep } from '../../lib/sleep.js';
import { sha256 } from '../../server/payments/idempotency-store.js';
import { paymentIdFor } from '../../server/payments/payment-id.js';
import { until } from '../support/until.js';
import { control, ledgerKinds, paymentRequest, postPayment, ShopperSocket } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

/**
 * The accept path on a Redis with a replica: its writes must be on the replica before the payment
 * is published, or a failover could lose the key's claim of a payment already answered 202. The
 * primary and its replica are this file's own, so that the replica can be frozen without touching
 * any other suite.
 */
const WAIT_TIMEOUT_MS = 250;

let dir: string;
let primary: LocalRedis;
let replica: GuardedChild;
let replicaClient: Redis;
let system: System;
let bff: { url: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'payflow-replica-confirmation-'));
  const [primaryPort, replicaPort] = (await freePorts(2)) as [number, number];
  const log = createLogger('test', 'silent');
  primary = await startLocalRedis({ port: primaryPort, dir: join(dir, 'primary', 'data'), log });
  const replicaDir = join(dir, 'replica');
  await mkdir(replicaDir);
  replica = spawnGuarded(
    'redis-server',
    ['--port', String(replicaPort), '--bind', '127.0.0.1', '--dir', replicaDir, '--save', '', '--replicaof', '127.0.0.1', String(primaryPort)],
    { stdio: 'ignore' },
  );
  replicaClient = new Redis(replicaPort, '127.0.0.1', { lazyConnect: true });
  replicaClient.on('error', () => undefined); // refused until the replica listens; the polls below say what matters
  await until(async () => (await replicaClient.info('replication').catch(() => '')).includes('master_link_status:up'), 20_000);
  // The system's one BFF waits for the replica: a second one that did not could consume the status events.
  system = await startSystem({ redisUrl: primary.url, bff: { REDIS_WAIT_REPLICAS: 1, REDIS_WAIT_TIMEOUT_MS: WAIT_TIMEOUT_MS } });
  bff = { url: system.bffUrl };
}, 120_000);
afterAll(async () => {
  replica?.signal('SIGCONT');
  await system?.stop();
  replicaClient?.disconnect();
  await replica?.stop(5_000);
  await primary?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const idempotencyRecordKey = (key: string) => `payflow:idempotency:${sha256(key)}`;

describe('the accept path with a Redis replica (REDIS_WAIT_REPLICAS=1)', () => {
  it("answers 202 only once the replica holds the payment's idempotency record and snapshot", async () => {
    const key = `replicated-${Date.now()}`;
    const answer = await postPayment(bff.url, paymentRequest(), { 'Idempotency-Key': key });
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 202, error: undefined });
    const [record, snapshot] = await Promise.all([
      replicaClient.exists(idempotencyRecordKey(key)),
      replicaClient.exists(`payflow:payment:${answer.body.paymentId}:snapshot`),
    ]);
    expect({ record, snapshot }).toEqual({ record: 1, snapshot: 1 });
  });

  it('answers 503 REDIS_NOT_REPLICATED within its bound when the replica cannot confirm, publishes nothing, and the same key is accepted once it can', async () => {
    const key = `frozen-replica-${Date.now()}`;
    const request = paymentRequest();
    const paymentId = paymentIdFor(key, sha256(JSON.stringify(request)));
    replica.signal('SIGSTOP');
    let refused: Awaited<ReturnType<typeof postPayment>>;
    let ms: number;
    try {
      const started = performance.now();
      refused = await postPayment(bff.url, request, { 'Idempotency-Key': key });
      ms = performance.now() - started;
      // A published payment is charged within a few hundred ms here (the stand-ins answer in 20 ms).
      await sleep(1_500);
    } finally {
      replica.signal('SIGCONT');
    }
    expect({ status: refused.status, code: refused.body.error?.code, retryAfter: refused.headers.get('retry-after') }).toEqual({
      status: 503,
      code: 'REDIS_NOT_REPLICATED',
      retryAfter: '1',
    });
    expect(refused.body.error.message).toContain('nothing was charged');
    expect(ms).toBeLessThan(WAIT_TIMEOUT_MS + 1_000);
    expect(await ledgerKinds(system.billingGatesUrl, paymentId)).toEqual([]);

    await until(async () => (await replicaClient.info('replication')).includes('master_link_status:up'), 20_000);
    const accepted = await postPayment(bff.url, request, { 'Idempotency-Key': key });
    expect({ status: accepted.status, paymentId: accepted.body.paymentId }).toEqual({ status: 202, paymentId });
    const shopper = new ShopperSocket(bff.url, accepted.body);
    try {
      await shopper.waitFor('confirmed');
    } finally {
      shopper.close();
    }
    expect(await ledgerKinds(system.billingGatesUrl, paymentId)).toEqual(['charge']);
  });

  it('pushes a status to the page only once the replica holds it, so that a failover cannot take back what a shopper saw', async () => {
    // Slow charges: the payment is accepted, its page open, before its next status is made.
    await control(system.billingGatesUrl, { latencyMs: 800 });
    const answer = await postPayment(bff.url, paymentRequest(), { 'Idempotency-Key': `status-${Date.now()}` });
    expect(answer.status).toBe(202);
    const shopper = new ShopperSocket(bff.url, answer.body);
    try {
      await shopper.waitFor('processing');
      replica.signal('SIGSTOP');
      let seenWhileFrozen: string[];
      try {
        // The charge is made and PaymentSucceeded handled well within this.
        await sleep(3_000);
        seenWhileFrozen = shopper.snapshots.map((snapshot) => snapshot.status);
      } finally {
        replica.signal('SIGCONT');
      }
      expect(seenWhileFrozen).toEqual(['processing']);
      const confirmed = await shopper.waitFor('confirmed');
      const onReplica = JSON.parse((await replicaClient.get(`payflow:payment:${answer.body.paymentId}:snapshot`)) ?? '{}') as { status?: string };
      expect({ pushed: confirmed.status, onReplica: onReplica.status }).toEqual({ pushed: 'confirmed', onReplica: 'confirmed' });
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { latencyMs: 20 });
    }
  });

  it('answers 503 REDIS_NOT_REPLICATED to a request without a key too', async () => {
    replica.signal('SIGSTOP');
    let refused: Awaited<ReturnType<typeof postPayment>>;
    try {
      refused = await postPayment(bff.url, paymentRequest());
    } finally {
      replica.signal('SIGCONT');
    }
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 503, code: 'REDIS_NOT_REPLICATED' });
  });
});
