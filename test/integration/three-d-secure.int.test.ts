import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentSnapshot } from '../../contracts/index.js';
import { until } from '../support/until.js';
import { answerChallenge, control, ledgerKinds, pay, ShopperSocket } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

/**
 * A card whose charge needs the shopper's action (3-D Secure), end to end on the real processes:
 * Billing Gates answers requires_action, the page is pushed the challenge's address, the shopper
 * answers it, Billing Gates' signed webhook reaches the BFF, and the billing worker reads the
 * settled charge from Billing Gates before the flow goes on.
 */
const CARD = 'pm_card_3ds_required';
const RETURN_URL = 'http://127.0.0.1:3000/';

let system: System;
beforeAll(async () => {
  // A step failing for a second is told to the shopper (DELAY_NOTICE_AFTER_MS).
  system = await startSystem({ delayNoticeAfterMs: 1_000 });
});
afterAll(async () => {
  await system?.stop();
});

/** Answers the bank's challenge, coming back to the checkout. */
const atTheBank = (snapshot: PaymentSnapshot, action: 'complete' | 'fail') => answerChallenge(snapshot, action, RETURN_URL);

/** Pays with the card that needs the bank, and waits until the page is told where to confirm. */
async function payAndWaitForTheBank(): Promise<{ paymentId: string; shopper: ShopperSocket; waiting: PaymentSnapshot }> {
  const payment = await pay(system.bffUrl, { paymentMethod: { token: CARD } });
  const shopper = new ShopperSocket(system.bffUrl, payment);
  const waiting = await shopper.waitFor('requires_action');
  return { paymentId: payment.paymentId, shopper, waiting };
}

describe('a card that needs the shopper to confirm at their bank (3-D Secure)', () => {
  it('pauses in requires_action with the challenge, and once the shopper completes it, is charged once and confirmed', async () => {
    const { paymentId, shopper, waiting } = await payAndWaitForTheBank();
    try {
      expect(waiting.nextAction).toEqual({ type: 'redirect', url: expect.stringMatching(/\/challenges\/chl_/) });
      expect(await ledgerKinds(system.billingGatesUrl, paymentId)).toEqual(['charge-pending']);
      const answer = await atTheBank(waiting, 'complete');
      expect({ status: answer.status, location: answer.headers.get('location') }).toEqual({ status: 303, location: RETURN_URL });
      const confirmed = await shopper.waitFor('confirmed');
      expect(confirmed.nextAction).toBeUndefined();
      expect(shopper.snapshots.map((snapshot) => snapshot.status)).toEqual(['processing', 'requires_action', 'paid', 'confirmed']);
      expect(await ledgerKinds(system.billingGatesUrl, paymentId)).toEqual(['charge-pending', 'charge']);
    } finally {
      shopper.close();
    }
  });

  it('a challenge the shopper fails ends failed AUTHENTICATION_FAILED, in words that say nothing was charged, with no charge', async () => {
    const { paymentId, shopper, waiting } = await payAndWaitForTheBank();
    try {
      expect((await atTheBank(waiting, 'fail')).status).toBe(303);
      const failed = await shopper.waitFor('failed');
      expect(failed.reason).toMatchObject({ code: 'AUTHENTICATION_FAILED', message: expect.stringMatching(/not been charged/) });
      expect(await ledgerKinds(system.billingGatesUrl, paymentId)).not.toContain('charge');
    } finally {
      shopper.close();
    }
  });

  it('a challenge left unanswered past its time ends failed AUTHENTICATION_ABANDONED, with no charge', async () => {
    await control(system.billingGatesUrl, { challengeTtlMs: 1_500 });
    try {
      const { paymentId, shopper } = await payAndWaitForTheBank();
      try {
        const failed = await shopper.waitFor('failed');
        expect(failed.reason).toMatchObject({ code: 'AUTHENTICATION_ABANDONED' });
        expect(await ledgerKinds(system.billingGatesUrl, paymentId)).not.toContain('charge');
      } finally {
        shopper.close();
      }
    } finally {
      await control(system.billingGatesUrl, { challengeTtlMs: 600_000 });
    }
  });

  it('a webhook delivered twice, and one that arrives only after the shopper is back, still make one charge and one confirmation', async () => {
    await control(system.billingGatesUrl, { webhookDeliveries: 2, webhookPaused: true });
    try {
      const { paymentId, shopper, waiting } = await payAndWaitForTheBank();
      try {
        expect((await atTheBank(waiting, 'complete')).status).toBe(303);
        // The shopper is back; the webhook is not: the payment still waits on the bank's word.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(shopper.snapshots.at(-1)?.status).toBe('requires_action');
        await control(system.billingGatesUrl, { webhookPaused: false });
        await shopper.waitFor('confirmed');
        expect(await ledgerKinds(system.billingGatesUrl, paymentId)).toEqual(['charge-pending', 'charge']);
        expect((await ledgerKinds(system.udiUrl, paymentId)).filter((kind) => kind === 'confirm')).toHaveLength(1);
      } finally {
        shopper.close();
      }
    } finally {
      await control(system.billingGatesUrl, { webhookDeliveries: 1, webhookPaused: false });
    }
  });

  it('Billing Gates failing once the shopper is back: the page is told, still in requires_action, and the payment goes on once it answers, charged once', async () => {
    await control(system.billingGatesUrl, { webhookPaused: true });
    try {
      const { paymentId, shopper, waiting } = await payAndWaitForTheBank();
      try {
        expect((await atTheBank(waiting, 'complete')).status).toBe(303);
        // The charge settled; the billing worker's lookup now finds Billing Gates down.
        await control(system.billingGatesUrl, { down: true, webhookPaused: false });
        await until(() => shopper.snapshots.some((snapshot) => snapshot.notice?.code === 'SETTLE_DELAYED'), 20_000);
        const told = shopper.snapshots.find((snapshot) => snapshot.notice?.code === 'SETTLE_DELAYED');
        expect(told).toMatchObject({
          status: 'requires_action',
          nextAction: waiting.nextAction,
          notice: { message: expect.stringMatching(/will not be charged twice/) },
        });
        await control(system.billingGatesUrl, { down: false });
        await shopper.waitFor('confirmed');
        expect(await ledgerKinds(system.billingGatesUrl, paymentId)).toEqual(['charge-pending', 'charge']);
      } finally {
        shopper.close();
      }
    } finally {
      await control(system.billingGatesUrl, { down: false, webhookPaused: false });
    }
  });
});
