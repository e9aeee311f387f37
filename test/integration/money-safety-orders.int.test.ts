import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEvent, newEvent, PaymentSnapshot, topicsWithPrefix } from '../../contracts/index.js';
import { sleep } from '../../lib/sleep.js';
import { readDeadLetters } from '../support/dead-letters.js';
import { readRecords, sendRecords } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';
import { startSystem, type System } from './harness/system.js';
import { control, ledger, ledgerKinds, pay, ShopperSocket } from './harness/shopper.js';

/** Short budgets, so that giving up can be seen within a test; each test restores what it changed. */
const ORDER_DEADLINE_MS = 3_000;
const ORDER_TIMEOUT_MS = 1_000;

let system: System;
beforeAll(async () => {
  system = await startSystem({ orderDeadlineMs: ORDER_DEADLINE_MS, orderDownstreamTimeoutMs: ORDER_TIMEOUT_MS });
});
afterAll(async () => {
  await system?.stop();
});

const topics = () => topicsWithPrefix(system.topicPrefix);

/** Polls a stand-in's ledger until the payment has an entry of `kind`. */
async function waitForLedger(url: string, paymentId: string, kind: string, timeoutMs = 20_000): Promise<void> {
  await until(async () => (await ledgerKinds(url, paymentId)).includes(kind), timeoutMs);
}

/** The payment's status as the polling fallback serves it. */
async function statusOf(payment: { paymentId: string; clientSecret: string }): Promise<PaymentSnapshot> {
  const response = await fetch(`${system.bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
  return PaymentSnapshot.parse(await response.json());
}

/** The first record of the payment on `topic`, as Kafka holds it. */
async function recordOf(topic: string, paymentId: string) {
  const records = await readRecords(system.kafkaBrokers, [topic], { until: (read) => read.some((r) => r.key === paymentId), timeoutMs: 30_000 });
  const record = records.find((r) => r.key === paymentId);
  if (record === undefined) throw new Error(`no record of ${paymentId} on ${topic}`);
  return record;
}

const handled = (url: string, type: string) => metricSum(url, 'payflow_events_handled_total', { type });
const deadLettered = (url: string) => metricSum(url, 'payflow_dead_lettered_total');

describe('money safety of orders: a published give-up is final', () => {
  it('after Udi refused to confirm and the charge was refunded, the same PaymentSucceeded delivered again with Udi confirming again confirms nothing: the payment stays refunded', async () => {
    await control(system.udiUrl, { refuseConfirms: true });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await shopper.waitFor('refunded', 30_000);
      await control(system.udiUrl, { refuseConfirms: false });

      // Delivered again, as after a crash before the commit, a failed fence or a replay.
      const handledBefore = await handled(system.orderWorkerUrl, 'PaymentSucceeded');
      await sendRecords(system.kafkaBrokers, topics().paymentsSucceeded, [await recordOf(topics().paymentsSucceeded, payment.paymentId)]);
      await until(async () => (await handled(system.orderWorkerUrl, 'PaymentSucceeded')) > handledBefore, 30_000);

      expect(await ledgerKinds(system.udiUrl, payment.paymentId)).not.toContain('confirm');
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge', 'refund']);
      expect((await statusOf(payment)).status).toBe('refunded');
      expect(shopper.snapshots.map((s) => s.status)).not.toContain('confirmed');
    } finally {
      shopper.close();
      await control(system.udiUrl, { refuseConfirms: false });
    }
  });

  it('when the confirmation of the try that crosses the order deadline is still held inside Udi, the give-up comes first and the held confirmation confirms nothing: refunded, never confirmed', async () => {
    // Every confirmation is held far longer than the worker waits for it (1 s), and lands after the
    // give-up, which comes once the deadline (3 s) has passed.
    const held = 10_000;
    await control(system.udiUrl, { confirmEffectDelayMs: held });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await shopper.waitFor('refunded', 30_000);
      // Every confirmation still on its way inside Udi lands meanwhile.
      await sleep(held + 1_000);

      expect(await ledgerKinds(system.udiUrl, payment.paymentId)).not.toContain('confirm');
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge', 'refund']);
      expect((await statusOf(payment)).status).toBe('refunded');
    } finally {
      shopper.close();
      await control(system.udiUrl, { confirmEffectDelayMs: 0 });
    }
  });
});

describe('money safety of orders: a refund asks Udi first', () => {
  it('a hand-made OrderFailed for a payment whose order Udi confirmed refunds nothing: it is dead-lettered with its code and the payment stays confirmed', async () => {
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await shopper.waitFor('confirmed', 30_000);
      const charge = (await ledger(system.billingGatesUrl, payment.paymentId)).find((entry) => entry.kind === 'charge') as { chargeId?: string } | undefined;
      const forged = newEvent({
        type: 'OrderFailed',
        paymentId: payment.paymentId,
        correlationId: 'hand-made',
        data: { chargeId: charge!.chargeId!, reason: { code: 'ORDER_REFUSED', message: 'Made by hand.' } },
      });
      const deadBefore = await deadLettered(system.billingWorkerUrl);
      const handledBefore = await handled(system.billingWorkerUrl, 'OrderFailed');
      await sendRecords(system.kafkaBrokers, topics().ordersFailed, [encodeEvent(forged)]);
      await until(
        async () => (await deadLettered(system.billingWorkerUrl)) > deadBefore || (await handled(system.billingWorkerUrl, 'OrderFailed')) > handledBefore,
        30_000,
      );

      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge']);
      expect((await statusOf(payment)).status).toBe('confirmed');
      const [deadLetter] = await readDeadLetters(system.kafkaBrokers, [topics().ordersFailed], 1, 15_000);
      expect(deadLetter?.headers['dlq-error-code']).toBe('ORDER_CONFIRMED_NOT_REFUNDED');
    } finally {
      shopper.close();
    }
  });
});

describe('money safety of orders: nothing stays stuck', () => {
  it('when Udi confirmed the order but refuses every new sign-in token for good, the payment ends confirmed without a token, never refunded, operators are alerted and the partition moves on', async () => {
    // The first confirmation goes through but its answer is lost (held past the worker's 1 s).
    await control(system.udiUrl, { confirmAnswerDelayMs: 6_000 });
    const alertsBefore = await metricSum(system.orderWorkerUrl, 'payflow_orders_without_sign_in_total');
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await waitForLedger(system.udiUrl, payment.paymentId, 'confirm');
      // From now on Udi refuses every confirmation, that of the confirmed order too.
      await control(system.udiUrl, { refuseConfirms: true, confirmAnswerDelayMs: 0 });

      const confirmed = await shopper.waitFor('confirmed', 30_000);
      // Ended by the settle window (as long again as the order deadline, from the charge), at most
      // one retry's backoff (10 s at most) after it, plus the publish and the projection.
      const paid = JSON.parse((await recordOf(topics().paymentsSucceeded, payment.paymentId)).value!) as { occurredAt: string };
      const endedAfterMs = Date.parse(confirmed.updatedAt) - Date.parse(paid.occurredAt);
      expect(endedAfterMs).toBeGreaterThan(2 * ORDER_DEADLINE_MS);
      expect(endedAfterMs).toBeLessThan(2 * ORDER_DEADLINE_MS + 10_000 + 5_000);
      expect(confirmed.signIn).toBeUndefined();
      expect(confirmed.reason?.code).toBe('SIGN_IN_UNAVAILABLE');
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge']);
      expect(shopper.snapshots.map((s) => s.status)).not.toContain('refunded');
      expect(await metricSum(system.orderWorkerUrl, 'payflow_orders_without_sign_in_total')).toBe(alertsBefore + 1);
      // The record is done: the group's commit point passes it.
      await until(async () => (await metricSum(system.orderWorkerUrl, 'payflow_consumer_lag', { topic: topics().paymentsSucceeded })) === 0, 20_000);
    } finally {
      shopper.close();
      await control(system.udiUrl, { refuseConfirms: false, confirmAnswerDelayMs: 0 });
    }
  });
});
