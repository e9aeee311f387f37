import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicsWithPrefix } from '../../contracts/index.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { sleep } from '../../lib/sleep.js';
import { deliverAgain, readRecords } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';
import { startSystem, type System } from './harness/system.js';
import { control, ledger, ledgerKinds, pay, ShopperSocket } from './harness/shopper.js';

/** A short charge budget, so that giving up is seen within a test. */
const CHARGE_DEADLINE_MS = 3_000;
/** The billing worker's time bound of one Billing Gates call, well inside the budget. */
const BILLING_TIMEOUT_MS = 1_000;
/** A charge held inside Billing Gates past the worker's timeout and past the budget: it lands after the give-up. */
const HELD_CHARGE_MS = 8_000;

let system: System;
beforeAll(async () => {
  system = await startSystem({ chargeDeadlineMs: CHARGE_DEADLINE_MS, billingDownstreamTimeoutMs: BILLING_TIMEOUT_MS });
});
afterAll(async () => {
  await system?.stop();
});

const topics = () => topicsWithPrefix(system.topicPrefix);

interface Outcome {
  topic: string;
  type: string;
  reasonCode?: string;
}

/** The charge step's outcome events of a payment, read until `enough` of them are there (and a moment more). */
async function chargeOutcomes(paymentId: string, enough: number): Promise<Outcome[]> {
  const { paymentsSucceeded, paymentsFailed } = topics();
  const ofPayment = (records: Awaited<ReturnType<typeof readRecords>>) => records.filter((r) => r.key === paymentId);
  const records = await readRecords(system.kafkaBrokers, [paymentsSucceeded, paymentsFailed], {
    until: (read) => ofPayment(read).length >= enough,
    timeoutMs: 30_000,
    settleMs: 1_000,
  });
  return ofPayment(records).map(({ topic, value }) => {
    const event = JSON.parse(value ?? '{}') as { type: string; data?: { reason?: { code?: string } } };
    return { topic: topic === paymentsSucceeded ? 'payments.succeeded' : 'payments.failed', type: event.type, reasonCode: event.data?.reason?.code };
  });
}

/** The statuses a shopper's page went through, each once (a status event delivered again is pushed again). */
function statusesSeen(shopper: ShopperSocket): string[] {
  return [...new Set(shopper.snapshots.map((s) => s.status))];
}

/** Waits until the billing worker has retried a charge at least once more: the charge was tried and failed. */
async function untilRetried(retriesBefore: number): Promise<void> {
  await until(async () => (await metricSum(system.billingWorkerUrl, 'payflow_handler_retries_total')) > retriesBefore, 20_000);
}

describe('a published "not charged" is final', () => {
  it('when Billing Gates fails past the charge budget and comes back, the payment fails as not charged, and PaymentInitiated delivered again charges nothing', async () => {
    await control(system.billingGatesUrl, { errorRate: 1 });
    const retriesBefore = await metricSum(system.billingWorkerUrl, 'payflow_handler_retries_total');
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await untilRetried(retriesBefore);
      await sleep(CHARGE_DEADLINE_MS + 1_000);
      await control(system.billingGatesUrl, { errorRate: 0 });
      const failed = await shopper.waitFor('failed', 30_000);
      expect(failed.reason?.code).toBe('NOT_CHARGED');

      // The record again, as after a crash before the commit or a second PaymentInitiated, with Billing Gates up.
      await deliverAgain(system.kafkaBrokers, topics().paymentsInitiated, payment.paymentId);
      const outcomes = await chargeOutcomes(payment.paymentId, 2);

      // At-least-once: the redo publishes the same decision again, never another one.
      expect({ billing: await ledgerKinds(system.billingGatesUrl, payment.paymentId), outcomes }).toEqual({
        billing: ['void'],
        outcomes: [
          { topic: 'payments.failed', type: 'PaymentFailed', reasonCode: 'NOT_CHARGED' },
          { topic: 'payments.failed', type: 'PaymentFailed', reasonCode: 'NOT_CHARGED' },
        ],
      });
      expect(statusesSeen(shopper)).toEqual(['processing', 'failed']);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { errorRate: 0 });
    }
  });
});

describe('no lookup races the charge it reconciles', () => {
  it('when the charge is still held inside Billing Gates as the budget runs out, the give-up voids its key first and the held charge lands on a voided key: failed, nothing charged', async () => {
    await control(system.billingGatesUrl, { effectDelayMs: HELD_CHARGE_MS });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const failed = await shopper.waitFor('failed', 30_000);
      expect(failed.reason?.code).toBe('NOT_CHARGED');
      // Every charge try still held (the last began before the give-up) has now come out of its hold.
      await sleep(HELD_CHARGE_MS + 1_000);

      expect({ billing: await ledgerKinds(system.billingGatesUrl, payment.paymentId), outcomes: await chargeOutcomes(payment.paymentId, 1) }).toEqual({
        billing: ['void'],
        outcomes: [{ topic: 'payments.failed', type: 'PaymentFailed', reasonCode: 'NOT_CHARGED' }],
      });
      expect(statusesSeen(shopper)).toEqual(['processing', 'failed']);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { effectDelayMs: 0 });
    }
  });
});

describe('a 2xx that does not say "succeeded" is not a charge', () => {
  it('when Billing Gates answers a charge 201 requires_action, nothing is charged or ordered while the shopper is away, and a challenge left unanswered ends failed, not charged, with no order', async () => {
    await control(system.billingGatesUrl, { requiresActionTokens: ['pm_card_3ds'], challengeTtlMs: 3_000 });
    const payment = await pay(system.bffUrl, { paymentMethod: { token: 'pm_card_3ds' } });
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await shopper.waitFor('requires_action', 30_000);
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge-pending']);
      expect(await ledger(system.udiUrl, payment.paymentId)).toEqual([]);
      const failed = await shopper.waitFor('failed', 30_000);
      expect(failed.reason?.code).toBe('AUTHENTICATION_ABANDONED');
      expect(failed.reason?.message).toMatch(/not been charged/);
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge-pending', 'decline']);
      expect(await ledger(system.udiUrl, payment.paymentId)).toEqual([]);
      expect(statusesSeen(shopper)).toEqual(['processing', 'requires_action', 'failed']);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { requiresActionTokens: ['pm_card_3ds_required'], challengeTtlMs: 600_000 });
    }
  });
});

describe('a give-up refused for good still ends the payment', () => {
  it('when Billing Gates refuses lookups and voids with a 403 past the budget, the payment ends failed CHARGE_UNRESOLVED within the settle window, operators are alerted, and the partition moves on', async () => {
    await control(system.billingGatesUrl, { down: true });
    const retriesBefore = await metricSum(system.billingWorkerUrl, 'payflow_handler_retries_total');
    const unresolvedBefore = await metricSum(system.billingWorkerUrl, 'payflow_charges_unresolved_total');
    const payment = await pay(system.bffUrl);
    const acceptedAt = Date.now();
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await untilRetried(retriesBefore);
      await sleep(CHARGE_DEADLINE_MS + 1_000);
      await control(system.billingGatesUrl, { down: false, refuseLookups: true });

      // The budget, the settle window (the budget again), one backoff of at most 10 s, and 5 s for the pipeline.
      const failed = await shopper.waitFor('failed', 2 * CHARGE_DEADLINE_MS + 15_000 - (Date.now() - acceptedAt));
      expect(failed.reason?.code).toBe('CHARGE_UNRESOLVED');
      expect(failed.reason?.message).toContain(payment.paymentId);
      expect(failed.reason?.message).not.toMatch(/not (been )?charged/i);
      expect(await metricSum(system.billingWorkerUrl, 'payflow_charges_unresolved_total')).toBe(unresolvedBefore + 1);
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual([]);
      await expectCommittedToTheEnd(topics().paymentsInitiated, `${system.topicPrefix}payflow-billing-worker`);

      await control(system.billingGatesUrl, { refuseLookups: false });
      const next = await pay(system.bffUrl);
      const nextShopper = new ShopperSocket(system.bffUrl, next);
      try {
        await nextShopper.waitFor('confirmed', 30_000);
      } finally {
        nextShopper.close();
      }
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { down: false, refuseLookups: false });
    }
  });
});

/** Every partition of `topic` committed by `groupId` up to its end: no record pins a commit point. */
async function expectCommittedToTheEnd(topic: string, groupId: string): Promise<void> {
  const admin = createKafka({ clientId: 'commit-check', brokers: system.kafkaBrokers, logger: createLogger('test', 'silent') }).admin();
  await admin.connect();
  try {
    const behind = async () => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return ends.filter((end) => committed?.partitions.find((p) => p.partition === end.partition)?.offset !== end.high && end.high !== '0');
    };
    await until(async () => (await behind()).length === 0, 15_000).catch(async () => {
      throw new Error(`partitions of ${topic} not committed to their end by ${groupId}: ${JSON.stringify(await behind())}`);
    });
  } finally {
    await admin.disconnect();
  }
}
