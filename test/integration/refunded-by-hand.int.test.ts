import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANS, type PaymentLookup } from '../../contracts/index.js';
import { OPS_COOKIE } from '../../server/ops/ops-session.js';
import { until } from '../support/until.js';
import { signInOperator } from './harness/operator.js';
import { control, ledgerKinds, pay, ShopperSocket } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

let system: System;
let cookie: string;
beforeAll(async () => {
  system = await startSystem();
  cookie = `${OPS_COOKIE}=${await signInOperator(system.bffUrl)}`;
});
afterAll(async () => {
  await system?.stop();
});

async function recordRefund(paymentId: string, body: unknown, withCookie = cookie): Promise<{ status: number; body: any }> {
  const response = await fetch(`${system.bffUrl}/ops/api/payments/${paymentId}/refunded-by-hand`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(withCookie === '' ? {} : { cookie: withCookie }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('a refund an operator made by hand', () => {
  it("moves a refund_failed payment to refunded: the shopper is told, and the payment's story says who returned it", async () => {
    const plan = PLANS[0]!;
    await control(system.udiUrl, { failPlans: [plan.id] });
    await control(system.billingGatesUrl, { refuseRefunds: true });
    const payment = await pay(system.bffUrl, { planId: plan.id, amount: plan.amount });
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await shopper.waitFor('refund_failed', 30_000);
      expect(await recordRefund(payment.paymentId, { refundId: '' })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
      expect(await recordRefund(payment.paymentId, { refundId: 're_by_hand_1' }, '')).toMatchObject({
        status: 401,
        body: { error: { code: 'OPS_UNAUTHORIZED' } },
      });

      const recorded = await recordRefund(payment.paymentId, { refundId: 're_by_hand_1' });
      expect(recorded).toMatchObject({ status: 202, body: { paymentId: payment.paymentId, eventId: expect.any(String) } });

      const refunded = await shopper.waitFor('refunded', 30_000);
      expect(refunded.reason).toEqual({ code: 'REFUNDED_BY_SUPPORT', message: 'Our support team returned your payment in full (refund re_by_hand_1).' });
      // Nothing was sent to Billing Gates: the operator made the refund there by hand.
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge', 'refund-refused']);

      let story: PaymentLookup | undefined;
      await until(async () => {
        const response = await fetch(`${system.bffUrl}/ops/api/payments/${payment.paymentId}`, { headers: { cookie } });
        story = (await response.json()) as PaymentLookup;
        return story.payment.timeline.some((entry) => entry.kind === 'status' && entry.to === 'refunded');
      }, 30_000);
      expect(story!.payment.timeline).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'RefundedByHand', refundId: 're_by_hand_1' }),
          expect.objectContaining({ kind: 'status', from: 'refund_failed', to: 'refunded' }),
        ]),
      );

      // Once refunded, there is nothing left to return by hand.
      expect(await recordRefund(payment.paymentId, { refundId: 're_by_hand_2' })).toMatchObject({
        status: 409,
        body: { error: { code: 'PAYMENT_NOT_REFUND_FAILED' } },
      });
    } finally {
      shopper.close();
      await control(system.udiUrl, { failPlans: [] });
      await control(system.billingGatesUrl, { refuseRefunds: false });
    }
  });

  it('is refused for a payment that is not refund_failed, and for one nobody knows', async () => {
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    await shopper.waitFor('confirmed', 30_000).finally(() => shopper.close());
    expect(await recordRefund(payment.paymentId, { refundId: 're_x' })).toMatchObject({
      status: 409,
      body: { error: { code: 'PAYMENT_NOT_REFUND_FAILED', message: expect.stringContaining('is confirmed') } },
    });
    expect(await recordRefund('00000000-0000-4000-8000-000000000000', { refundId: 're_x' })).toMatchObject({
      status: 404,
      body: { error: { code: 'PAYMENT_NOT_FOUND' } },
    });
  });
});
