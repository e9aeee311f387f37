import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANS } from '../../contracts/index.js';
import { startSystem, type System } from './harness/system.js';
import { control, ledger, pay, ShopperSocket, signIn } from './harness/shopper.js';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('the payment flow on real Kafka and Redis', () => {
  it('a payment posted over HTTP reaches confirmed on its socket, with a token the SaaS app accepts once', async () => {
    // A slow card processor, so the socket is connected before the charge completes.
    await control(system.billingGatesUrl, { latencyMs: 500 });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const confirmed = await shopper.waitFor('confirmed');
      expect(shopper.snapshots.map((s) => s.status)).toEqual(['processing', 'paid', 'confirmed']);
      expect(shopper.snapshots.map((s) => s.seq)).toEqual([0, 1, 2]);
      expect(confirmed.signIn?.landingUrl).toBe(`${system.saasUrl}/sso`);

      const first = await signIn(confirmed.signIn!.landingUrl, confirmed.signIn!.ssoToken);
      expect(first.status).toBe(303);
      const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
      const app = await fetch(`${system.saasUrl}/app`, { headers: { cookie } });
      expect(await app.text()).toContain(payment.request.customer.email);

      const replay = await signIn(confirmed.signIn!.landingUrl, confirmed.signIn!.ssoToken);
      expect(replay.status).toBe(401);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { latencyMs: 20 });
    }
  });

  it('a socket with a wrong secret is refused at the handshake and gets nothing', async () => {
    const payment = await pay(system.bffUrl);
    const intruder = new ShopperSocket(system.bffUrl, { paymentId: payment.paymentId, clientSecret: 'not-the-secret' });
    try {
      expect(await intruder.refusal()).toBe('PAYMENT_NOT_FOUND');
      expect(intruder.snapshots).toEqual([]);
    } finally {
      intruder.close();
    }
  });

  it('a socket without credentials is refused with INVALID_AUTH', async () => {
    const intruder = new ShopperSocket(system.bffUrl, { paymentId: 'nope', clientSecret: '' });
    try {
      expect(await intruder.refusal()).toBe('INVALID_AUTH');
    } finally {
      intruder.close();
    }
  });

  it('a socket that connects after the payment completed still gets confirmed at once', async () => {
    const payment = await pay(system.bffUrl);
    await waitForStatus(system.bffUrl, payment, 'confirmed');
    const late = new ShopperSocket(system.bffUrl, payment);
    try {
      const snapshot = await late.waitFor('confirmed', 5_000);
      expect(late.snapshots).toHaveLength(1);
      expect(snapshot.signIn?.ssoToken).toBeTruthy();
    } finally {
      late.close();
    }
  });

  it('a declined card ends failed with the reason to show, and nothing is charged', async () => {
    await control(system.billingGatesUrl, { declineTokens: ['pm_card_declined'] });
    const payment = await pay(system.bffUrl, { paymentMethod: { token: 'pm_card_declined' } });
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const failed = await shopper.waitFor('failed');
      expect(failed.reason?.code).toBe('CARD_DECLINED');
      expect(failed.reason?.message).toMatch(/declined/i);
      expect((await ledger(system.billingGatesUrl, payment.paymentId)).filter((e) => e.kind === 'charge')).toEqual([]);
    } finally {
      shopper.close();
    }
  });

  it('when Udi refuses the order, the charge is refunded and the shopper sees refunded', async () => {
    const plan = PLANS[2]!;
    await control(system.udiUrl, { failPlans: [plan.id] });
    const payment = await pay(system.bffUrl, { planId: plan.id, amount: plan.amount });
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      const refunded = await shopper.waitFor('refunded');
      expect(refunded.reason?.code).toBe('ORDER_REJECTED');
      const entries = await ledger(system.billingGatesUrl, payment.paymentId);
      expect(entries.map((e) => e.kind).sort()).toEqual(['charge', 'refund']);
    } finally {
      shopper.close();
      await control(system.udiUrl, { failPlans: [] });
    }
  });

  it('50 concurrent payments all confirm, each charged exactly once', async () => {
    const payments = await Promise.all(Array.from({ length: 50 }, () => pay(system.bffUrl)));
    const shoppers = payments.map((payment) => new ShopperSocket(system.bffUrl, payment));
    try {
      await Promise.all(shoppers.map((shopper) => shopper.waitFor('confirmed', 60_000)));
      const charges = (await ledger(system.billingGatesUrl)).filter((e) => e.kind === 'charge');
      for (const payment of payments) {
        expect(charges.filter((charge) => charge.paymentId === payment.paymentId)).toHaveLength(1);
      }
    } finally {
      for (const shopper of shoppers) shopper.close();
    }
  });
});

async function waitForStatus(bffUrl: string, payment: { paymentId: string; clientSecret: string }, status: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
    if (response.ok && ((await response.json()) as { status: string }).status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`payment did not reach ${status}`);
}
