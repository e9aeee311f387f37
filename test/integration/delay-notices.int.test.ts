import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentDelayed, PaymentSnapshot, topicsWithPrefix } from '../../contracts/index.js';
import { readRecords, type RecordRead } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';
import { startSystem, type System } from './harness/system.js';
import { control, ledger, pay, ShopperSocket } from './harness/shopper.js';

/** Short, so the notices come within the test; the default is 15 s. */
const NOTICE_AFTER_MS = 2_000;

let system: System;
const logLines: string[] = [];
beforeAll(async () => {
  system = await startSystem({ delayNoticeAfterMs: NOTICE_AFTER_MS, logLines });
});
afterAll(async () => {
  await system?.stop();
});

/** The PaymentDelayed records of one payment on payments.notices, once there are at least `count`. */
async function noticesOf(paymentId: string, count: number): Promise<PaymentDelayed[]> {
  const topic = topicsWithPrefix(system.topicPrefix).paymentNotices;
  const ofPayment = (records: RecordRead[]) => records.filter((record) => record.key === paymentId);
  const records = await readRecords(system.kafkaBrokers, [topic], { until: (read) => ofPayment(read).length >= count, timeoutMs: 30_000 });
  return ofPayment(records).map((record) => PaymentDelayed.parse(JSON.parse(record.value ?? 'null')));
}

async function statusRead(payment: { paymentId: string; clientSecret: string }): Promise<PaymentSnapshot> {
  const response = await fetch(`${system.bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
  return PaymentSnapshot.parse(await response.json());
}

describe('delay notices', () => {
  it('when Billing Gates is down past the threshold, the shopper is told nothing has been charged; once it is back the payment is confirmed and the notice is gone', async () => {
    await control(system.billingGatesUrl, { down: true });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await until(() => shopper.snapshots.some((s) => s.notice !== undefined), 30_000);
      const noticed = shopper.snapshots.find((s) => s.notice !== undefined)!;
      expect(noticed).toMatchObject({
        status: 'processing',
        notice: { code: 'CHARGE_DELAYED', message: 'Your bank is not answering yet; nothing has been charged; we keep trying.', since: expect.any(String) },
      });
      expect((await statusRead(payment)).notice?.code).toBe('CHARGE_DELAYED');

      // Repeated every threshold while Billing Gates stays down, each with the tries so far.
      const notices = await noticesOf(payment.paymentId, 2);
      expect(notices.length).toBeGreaterThanOrEqual(2);
      for (const notice of notices) {
        expect(notice.data).toMatchObject({
          step: 'charge',
          lastError: { code: 'DOWNSTREAM_UNAVAILABLE', message: expect.stringContaining('HTTP 503') },
          notice: { code: 'CHARGE_DELAYED' },
        });
        expect(Date.parse(notice.occurredAt) - Date.parse(notice.data.since)).toBeGreaterThanOrEqual(NOTICE_AFTER_MS);
      }
      expect(notices[1]!.data.attempts).toBeGreaterThan(notices[0]!.data.attempts);
      expect(notices[1]!.data.since).toBe(notices[0]!.data.since);
      // The same words again are no news: pushed again (in case a push was lost) under the same seq.
      expect(new Set(shopper.snapshots.filter((s) => s.notice !== undefined).map((s) => s.seq)).size).toBe(1);
      await until(() => shopper.snapshots.filter((s) => s.notice !== undefined).length >= 2, 10_000);
      // Each notice is a log line of the worker naming the payment.
      const logged = () =>
        logLines
          .map((line) => JSON.parse(line) as { msg: string; paymentId?: string })
          .filter((line) => line.paymentId === payment.paymentId && line.msg.includes('PaymentDelayed'));
      await until(() => logged().length >= 2, 5_000); // written once Kafka has acknowledged the notice
      expect(logged()[0]).toMatchObject({ role: 'billing-worker', step: 'charge', notice: 'CHARGE_DELAYED', lastError: { code: 'DOWNSTREAM_UNAVAILABLE' } });

      await control(system.billingGatesUrl, { down: false });
      const confirmed = await shopper.waitFor('confirmed', 60_000);
      expect(confirmed.notice).toBeUndefined();
      expect((await statusRead(payment)).notice).toBeUndefined();
      expect((await ledger(system.billingGatesUrl, payment.paymentId)).map((e) => e.kind)).toEqual(['charge']);
      // A notice is no status change: nothing was counted as a move to processing.
      expect(await metricSum(system.bffUrl, 'payflow_payment_status_changes_total', { status: 'processing' })).toBe(0);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { down: false });
    }
  });

  it('when Udi is down after the charge, the shopper is told the payment went through; once Udi is back they are confirmed and the notice is gone', async () => {
    await control(system.udiUrl, { down: true });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await until(() => shopper.snapshots.some((s) => s.notice !== undefined), 30_000);
      expect(shopper.snapshots.find((s) => s.notice !== undefined)).toMatchObject({
        status: 'paid',
        notice: { code: 'ORDER_DELAYED', message: 'Your payment went through; we are still setting up your account.' },
      });
      const [notice] = await noticesOf(payment.paymentId, 1);
      expect(notice!.data).toMatchObject({ step: 'order', lastError: { code: 'DOWNSTREAM_UNAVAILABLE', message: expect.stringContaining('udi') } });

      await control(system.udiUrl, { down: false });
      const confirmed = await shopper.waitFor('confirmed', 60_000);
      expect(confirmed.notice).toBeUndefined();
      expect(confirmed.signIn).toBeDefined();
    } finally {
      shopper.close();
      await control(system.udiUrl, { down: false });
    }
  });
});
