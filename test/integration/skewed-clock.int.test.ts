import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal, PaymentDelayed, topicsWithPrefix } from '../../contracts/index.js';
import { readRecords, type RecordRead } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';
import { startSystem, type System } from './harness/system.js';
import { control, ledger, pay, ShopperSocket } from './harness/shopper.js';

/**
 * A billing worker on a machine whose clock is off by minutes must keep the charge budget all the
 * same: neither give a payment up after one try (clock ahead) nor never (clock behind), nor start
 * the budget again when it restarts; and its delay notices must not say "nothing has been
 * charged" on the strength of its clock.
 */
const CHARGE_DEADLINE_MS = 8_000;
const NOTICE_AFTER_MS = 2_000;
const TEN_MINUTES_MS = 600_000;
/** The billing worker's timeout of each Billing Gates call. */
const TIMEOUT_MS = 1_000;
/**
 * The earliest a charge may be given up, counted from its first failure as this test sees it: a
 * held charge fails only when its call times out, so the group first saw the record up to one
 * timeout before (500 ms more for the polls that notice each).
 */
const EARLIEST_GIVE_UP_AFTER_FAILURE_MS = CHARGE_DEADLINE_MS - TIMEOUT_MS - 500;

let system: System;
beforeAll(async () => {
  system = await startSystem({ chargeDeadlineMs: CHARGE_DEADLINE_MS, delayNoticeAfterMs: NOTICE_AFTER_MS, billingDownstreamTimeoutMs: TIMEOUT_MS });
});
afterAll(async () => {
  await system?.stop();
});

async function charges(paymentId: string): Promise<number> {
  return (await ledger(system.billingGatesUrl, paymentId)).filter((entry) => entry.kind === 'charge').length;
}

/**
 * Billing Gates holds every charge past the worker's 1 s timeout, so each try fails, while the
 * void the give-up makes is answered at once: the void in the ledger marks when the charge was
 * given up. The held charges land on the voided key afterwards and charge nothing.
 */
const CHARGES_HELD = { effectDelayMs: 12_000 };

/** Resolves, with the time, once the billing worker running now has retried a record after a failed try. */
async function firstFailure(): Promise<number> {
  await until(async () => (await metricSum(system.billingWorkerUrl, 'payflow_handler_retries_total')) > 0, 20_000, 50);
  return Date.now();
}

/** Resolves, with the time, once the payment's charge key has been voided at Billing Gates: the charge step's give-up. */
async function givenUp(paymentId: string, timeoutMs: number): Promise<number> {
  const voided = async () => (await ledger(system.billingGatesUrl, paymentId)).some((entry) => entry.kind === 'void');
  await until(voided, timeoutMs, 50).catch(() => {
    throw new Error(`the charge was not given up (no void at Billing Gates) within ${timeoutMs} ms of its first failure`);
  });
  return Date.now();
}

/** The payment's first terminal status, with the code of its reason if it has one. */
async function terminal(shopper: ShopperSocket): Promise<{ status: string; reason?: string }> {
  await until(() => shopper.snapshots.some((s) => isTerminal(s.status)), 30_000);
  const { status, reason } = shopper.snapshots.find((s) => isTerminal(s.status))!;
  return reason === undefined ? { status } : { status, reason: reason.code };
}

describe('a billing worker whose clock is off', () => {
  it('when its clock runs 10 min ahead, a charge that fails for a moment is tried again within its budget and confirmed, not given up after one try', async () => {
    await system.restartBillingWorker({ clockOffsetMs: TEN_MINUTES_MS });
    await control(system.billingGatesUrl, { errorRate: 1 });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await firstFailure();
      await control(system.billingGatesUrl, { errorRate: 0 });
      expect(await terminal(shopper)).toEqual({ status: 'confirmed' });
      expect(await charges(payment.paymentId)).toBe(1);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { errorRate: 0 });
    }
  });

  it('when its clock runs 10 min behind, a charge that keeps failing is given up at its budget, as not charged', async () => {
    await system.restartBillingWorker({ clockOffsetMs: -TEN_MINUTES_MS });
    await control(system.billingGatesUrl, CHARGES_HELD);
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const failedAt = await firstFailure();
      // The try that follows the budget's end voids instead of charging; the backoff then is at most 6.4 s.
      const givenUpAt = await givenUp(payment.paymentId, CHARGE_DEADLINE_MS + 10_000);
      expect(givenUpAt - failedAt).toBeGreaterThanOrEqual(EARLIEST_GIVE_UP_AFTER_FAILURE_MS);
      expect(await terminal(shopper)).toEqual({ status: 'failed', reason: 'NOT_CHARGED' });
      expect(await charges(payment.paymentId)).toBe(0);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { effectDelayMs: 0 });
    }
  });

  it('when it restarts while a charge is failing, the new worker gives the charge up at the budget counted from the first try, not a whole budget later', async () => {
    await system.restartBillingWorker({ clockOffsetMs: 0 });
    await control(system.billingGatesUrl, CHARGES_HELD);
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const failedAt = await firstFailure();
      await new Promise((resolve) => setTimeout(resolve, CHARGE_DEADLINE_MS - 2_500));
      const restartedAt = Date.now();
      await system.restartBillingWorker();
      const givenUpAt = await givenUp(payment.paymentId, CHARGE_DEADLINE_MS + 10_000);
      const figures = { restartAfterMs: restartedAt - failedAt, givenUpAfterMs: givenUpAt - failedAt };
      // A budget started again by the new worker would end no sooner than a whole budget after it
      // first saw the record, which is after the restart began. (Its own first try may already be
      // past the budget, and then it gives up without a retry to wait for.)
      expect(givenUpAt - restartedAt, JSON.stringify(figures)).toBeLessThan(CHARGE_DEADLINE_MS);
      expect(givenUpAt - failedAt, JSON.stringify(figures)).toBeGreaterThanOrEqual(EARLIEST_GIVE_UP_AFTER_FAILURE_MS);
      expect(await terminal(shopper)).toEqual({ status: 'failed', reason: 'NOT_CHARGED' });
      expect(await charges(payment.paymentId)).toBe(0);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { effectDelayMs: 0 });
    }
  });

  it('when a worker whose clock runs 10 min behind takes over a charge that timed out elsewhere, the shopper is never told nothing has been charged', async () => {
    await system.restartBillingWorker({ clockOffsetMs: 0 });
    // Billing Gates holds the charge past the worker's 1 s timeout, then makes it.
    await control(system.billingGatesUrl, { effectDelayMs: 4_000 });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await firstFailure();
      await control(system.billingGatesUrl, { down: true, effectDelayMs: 0 });
      await system.restartBillingWorker({ clockOffsetMs: -TEN_MINUTES_MS });
      // The new worker only ever sees refusals (503), while the charge it did not see lands. Its
      // notices are stamped by its clock, 10 min in the past.
      const skewed = (since: string) => Date.parse(since) < Date.now() - TEN_MINUTES_MS / 2;
      const topic = topicsWithPrefix(system.topicPrefix).paymentNotices;
      const noticesOf = (read: RecordRead[]) =>
        read.filter((record) => record.key === payment.paymentId).map((record) => PaymentDelayed.parse(JSON.parse(record.value ?? 'null')));
      const notices = noticesOf(
        await readRecords(system.kafkaBrokers, [topic], { until: (read) => noticesOf(read).some((notice) => skewed(notice.data.since)), timeoutMs: 30_000 }),
      );
      await until(() => shopper.snapshots.some((s) => s.notice !== undefined && skewed(s.notice.since)), 10_000);
      // The held charge lands 4 s after the first try; the new worker's notice can come before it.
      await until(async () => (await charges(payment.paymentId)) >= 1, 10_000);
      expect(await charges(payment.paymentId)).toBe(1);
      expect(notices.map((notice) => notice.data.notice.code)).not.toContain('CHARGE_DELAYED');
      expect(shopper.snapshots.map((s) => s.notice?.code)).not.toContain('CHARGE_DELAYED');

      await control(system.billingGatesUrl, { down: false });
      expect(await terminal(shopper)).toEqual({ status: 'confirmed' });
      expect(await charges(payment.paymentId)).toBe(1);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { down: false, effectDelayMs: 0 });
    }
  });
});
