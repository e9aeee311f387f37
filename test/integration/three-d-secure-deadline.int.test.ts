import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BILLING_GATES_WEBHOOK_PATH, type PaymentSnapshot } from '../../contracts/index.js';
import { closeRedis, connectRedis } from '../../lib/redis-connection.js';
import { HistoryKeys } from '../../server/history/history-keys.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';
import { answerChallenge, control, ledgerKinds, pay, ShopperSocket } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

/**
 * A payment waiting on the shopper's bank ends at its deadline even when nothing tells payflow
 * that the challenge is over: Billing Gates' webhook lost, or never sent. The billing worker's
 * ACTION_DEADLINE_MS is 3 s here and the BFF sweeps every 200 ms; Billing Gates itself would give
 * the challenge up only after 10 minutes, and sends no webhook at all in the first test.
 */
const CARD = 'pm_card_3ds_required';
const RETURN_URL = 'http://127.0.0.1:3000/';

let system: System;
let redis: Redis;
beforeAll(async () => {
  system = await startSystem({ actionDeadlineMs: 3_000, bff: { ACTION_SWEEP_EVERY_MS: 200 } });
  redis = connectRedis(inject('redisUrl'));
});
afterAll(async () => {
  await system?.stop();
  if (redis !== undefined) await closeRedis(redis);
});

/** Answers the bank's challenge, coming back to the checkout. */
const atTheBank = (snapshot: PaymentSnapshot, action: 'complete' | 'fail') => answerChallenge(snapshot, action, RETURN_URL);

describe('a payment waiting on the bank past its deadline (ACTION_DEADLINE_MS)', () => {
  it('with no webhook ever sent, ends failed AUTHENTICATION_ABANDONED through the BFF sweep: the pending charge voided, and a late answer at the bank charges nothing', async () => {
    await control(system.billingGatesUrl, { webhookUrl: null });
    const payment = await pay(system.bffUrl, { paymentMethod: { token: CARD } });
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const waiting = await shopper.waitFor('requires_action');
      const waitedFrom = performance.now();
      // Its age among the unfinished counts from its deadline: a shopper taking their time pages no one.
      await until(async () => (await redis.zscore(`${system.topicPrefix}payflow:awaiting-action`, payment.paymentId)) !== null, 5_000);
      const [deadline, unfinishedFrom] = await Promise.all([
        redis.zscore(`${system.topicPrefix}payflow:awaiting-action`, payment.paymentId),
        redis.zscore(new HistoryKeys(system.topicPrefix).unfinished, payment.paymentId),
      ]);
      expect(Number(deadline)).toBeGreaterThan(Date.now());
      expect(unfinishedFrom).toBe(deadline);
      const failed = await shopper.waitFor('failed');
      // Not before its deadline: the payment waited on the shopper for the 3 s it was given.
      expect(performance.now() - waitedFrom).toBeGreaterThan(2_000);
      expect(failed.reason).toMatchObject({ code: 'AUTHENTICATION_ABANDONED', message: expect.stringMatching(/not been charged/) });
      expect(shopper.snapshots.map((snapshot) => snapshot.status)).toEqual(['processing', 'requires_action', 'failed']);
      // The shopper answers the bank after all: the key is voided, so nothing is charged.
      await atTheBank(waiting, 'complete');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).not.toContain('charge');
      expect(shopper.snapshots.at(-1)?.status).toBe('failed');
      const actions = (outcome: string) => metricSum(system.billingWorkerUrl, 'payflow_charge_actions_total', { outcome });
      expect({ asked: await actions('asked'), abandoned: await actions('abandoned') }).toEqual({ asked: 1, abandoned: 1 });
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { webhookUrl: `${system.bffUrl}${BILLING_GATES_WEBHOOK_PATH}` });
    }
  });

  it('a payment whose challenge settled in time is left alone by the sweep: charged once, confirmed, nothing voided', async () => {
    const payment = await pay(system.bffUrl, { paymentMethod: { token: CARD } });
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const waiting = await shopper.waitFor('requires_action');
      expect((await atTheBank(waiting, 'complete')).status).toBe(303);
      await shopper.waitFor('confirmed');
      // Past the deadline and a few sweeps.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge-pending', 'charge']);
      expect(shopper.snapshots.at(-1)?.status).toBe('confirmed');
    } finally {
      shopper.close();
    }
  });
});
