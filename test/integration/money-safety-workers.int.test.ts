import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANS } from '../../contracts/index.js';
import { sleep } from '../../lib/sleep.js';
import { metricSum } from '../support/metrics.js';
import { startSystem, type System } from './harness/system.js';
import { control, ledgerKinds, pay, ShopperSocket, signIn } from './harness/shopper.js';

/** Short budgets, so that giving up can be seen within a test; each test restores what it changed. */
const CHARGE_DEADLINE_MS = 3_000;
const ORDER_DEADLINE_MS = 3_000;
const REFUND_DEADLINE_MS = 3_000;
const ORDER_TIMEOUT_MS = 1_000;

let system: System;
beforeAll(async () => {
  system = await startSystem({
    chargeDeadlineMs: CHARGE_DEADLINE_MS,
    orderDeadlineMs: ORDER_DEADLINE_MS,
    refundDeadlineMs: REFUND_DEADLINE_MS,
    orderDownstreamTimeoutMs: ORDER_TIMEOUT_MS,
  });
});
afterAll(async () => {
  await system?.stop();
});

/** Polls a stand-in's ledger until the payment has an entry of `kind`. */
async function waitForLedger(url: string, paymentId: string, kind: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ledgerKinds(url, paymentId)).includes(kind)) {
    if (Date.now() > until) throw new Error(`no "${kind}" for ${paymentId} within ${timeoutMs} ms; saw ${JSON.stringify(await ledgerKinds(url, paymentId))}`);
    await sleep(100);
  }
}

const deadLettered = (url: string) => metricSum(url, 'payflow_dead_lettered_total');

describe('money safety in the workers: a broken answer is not a permanent failure', () => {
  it("when Billing Gates' answers arrive cut short for a while, the payment is confirmed once they are readable, charged once", async () => {
    await control(system.billingGatesUrl, { brokenAnswerRate: 1 });
    const deadBefore = await deadLettered(system.billingWorkerUrl);
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await waitForLedger(system.billingGatesUrl, payment.paymentId, 'charge');
      await sleep(2_000);
      expect(shopper.snapshots.map((s) => s.status)).toEqual(['processing']);

      await control(system.billingGatesUrl, { brokenAnswerRate: 0 });
      await shopper.waitFor('confirmed', 30_000);
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge']);
      expect(await deadLettered(system.billingWorkerUrl)).toBe(deadBefore);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { brokenAnswerRate: 0 });
    }
  });

  it("when Udi's answers arrive cut short for a while, the payment is confirmed once they are readable, with one order", async () => {
    await control(system.udiUrl, { brokenAnswerRate: 1 });
    const deadBefore = await deadLettered(system.orderWorkerUrl);
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await waitForLedger(system.udiUrl, payment.paymentId, 'order-created');
      await sleep(1_000);
      await control(system.udiUrl, { brokenAnswerRate: 0 });
      const confirmed = await shopper.waitFor('confirmed', 30_000);
      expect((await signIn(confirmed.signIn!.landingUrl, confirmed.signIn!.ssoToken)).status).toBe(303);
      expect((await ledgerKinds(system.udiUrl, payment.paymentId)).filter((kind) => kind === 'order-created')).toHaveLength(1);
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge']);
      expect(await deadLettered(system.orderWorkerUrl)).toBe(deadBefore);
    } finally {
      shopper.close();
      await control(system.udiUrl, { brokenAnswerRate: 0 });
    }
  });

  it('when Udi writes expiresAt with an offset instead of Z, the payment is confirmed and its sign-in token works', async () => {
    await control(system.udiUrl, { expiresAtOffset: 120 });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const confirmed = await shopper.waitFor('confirmed', 30_000);
      // The event and the snapshot keep UTC: the same instant, written with Z.
      expect(confirmed.signIn!.expiresAt).toMatch(/Z$/);
      expect(Date.parse(confirmed.signIn!.expiresAt)).toBeGreaterThan(Date.now());
      const landing = await signIn(confirmed.signIn!.landingUrl, confirmed.signIn!.ssoToken);
      expect(landing.status).toBe(303);
    } finally {
      shopper.close();
      await control(system.udiUrl, { expiresAtOffset: 0 });
    }
  });
});

describe('money safety in the workers: every payment reaches a terminal status', () => {
  it('when Billing Gates keeps failing past the charge budget, the payment fails as not charged, and nothing is charged', async () => {
    await control(system.billingGatesUrl, { errorRate: 1 });
    const retriesBefore = await metricSum(system.billingWorkerUrl, 'payflow_handler_retries_total');
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      // The charge has been tried (and failed) before the budget runs out, however slow the machine.
      const until = Date.now() + 20_000;
      while ((await metricSum(system.billingWorkerUrl, 'payflow_handler_retries_total')) === retriesBefore && Date.now() < until) await sleep(100);
      await sleep(CHARGE_DEADLINE_MS + 2_000);
      expect(shopper.snapshots.map((s) => s.status)).toEqual(['processing']);
      // Billing Gates answers again: the charge key is voided, as nothing was charged under it.
      await control(system.billingGatesUrl, { errorRate: 0 });
      const failed = await shopper.waitFor('failed', 30_000);
      expect(failed.reason?.code).toBe('NOT_CHARGED');
      expect(failed.reason?.message).toMatch(/not been charged/);
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['void']);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { errorRate: 0 });
    }
  });

  it('when Udi refuses to confirm with a 4xx, the charge is refunded and the shopper sees refunded, not a dead letter', async () => {
    await control(system.udiUrl, { refuseConfirms: true });
    const deadBefore = await deadLettered(system.orderWorkerUrl);
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const refunded = await shopper.waitFor('refunded', 30_000);
      expect(refunded.reason?.message).toMatch(/refunded/);
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge', 'refund']);
      expect(await ledgerKinds(system.udiUrl, payment.paymentId)).not.toContain('confirm');
      expect(await deadLettered(system.orderWorkerUrl)).toBe(deadBefore);
    } finally {
      shopper.close();
      await control(system.udiUrl, { refuseConfirms: false });
    }
  });

  it('when Billing Gates refuses the refund of an order Udi rejected, the payment ends refund_failed with a reason, and operators are alerted', async () => {
    const plan = PLANS[0]!;
    await control(system.udiUrl, { failPlans: [plan.id] });
    await control(system.billingGatesUrl, { refuseRefunds: true });
    const alertsBefore = await metricSum(system.billingWorkerUrl, 'payflow_refunds_failed_total');
    const payment = await pay(system.bffUrl, { planId: plan.id, amount: plan.amount });
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const snapshot = await shopper.waitFor('refund_failed', 30_000);
      expect(snapshot.reason?.code).toBe('REFUND_FAILED');
      expect(snapshot.reason?.message).toContain(payment.paymentId);
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge', 'refund-refused']);
      expect(await metricSum(system.billingWorkerUrl, 'payflow_refunds_failed_total')).toBe(alertsBefore + 1);
    } finally {
      shopper.close();
      await control(system.udiUrl, { failPlans: [] });
      await control(system.billingGatesUrl, { refuseRefunds: false });
    }
  });
});

describe('money safety in the workers: reconcile before compensating', () => {
  it('when Udi confirms but its answer is lost until past the order deadline, the payment is confirmed and never refunded', async () => {
    // Held longer than any worker timeout (the order worker's here, and the 5 s default).
    await control(system.udiUrl, { confirmAnswerDelayMs: 6_000 });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await waitForLedger(system.udiUrl, payment.paymentId, 'confirm');
      // Past the order deadline (counted from the charge) while every answer is still lost.
      await sleep(ORDER_DEADLINE_MS + 4_000);
      await control(system.udiUrl, { confirmAnswerDelayMs: 0 });

      const confirmed = await shopper.waitFor('confirmed', 30_000);
      expect((await signIn(confirmed.signIn!.landingUrl, confirmed.signIn!.ssoToken)).status).toBe(303);
      expect(shopper.snapshots.map((s) => s.status)).not.toContain('refunded');
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge']);
      expect((await ledgerKinds(system.udiUrl, payment.paymentId)).filter((kind) => kind === 'confirm')).toHaveLength(1);
    } finally {
      shopper.close();
      await control(system.udiUrl, { confirmAnswerDelayMs: 0 });
    }
  });
});
