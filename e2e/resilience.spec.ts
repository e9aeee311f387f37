import { newShopperEmail } from './checkout-page.js';
import { expect, test } from './fixtures.js';
import { STAND_INS_TAG } from './stand-ins.js';

test.describe('the checkout survives the browser', () => {
  test('a reload in the middle of the payment resumes it and still ends signed in', { tag: STAND_INS_TAG }, async ({ checkout, billingGates, system }) => {
    await billingGates.control({ latencyMs: 3_000 });
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email });
    const paymentId = await checkout.payAndGetPaymentId();
    await expect(checkout.status).toContainText('Processing your payment');

    await checkout.page.reload();
    await expect(checkout.status).toContainText('Processing your payment');
    await expect(checkout.pay).toBeHidden(); // resumed, not a fresh form

    await checkout.expectSignedIn(system.saasApp, email);
    expect(await billingGates.count(paymentId, 'charge')).toBe(1);
  });

  test('with WebSockets blocked, Socket.IO long-polling still carries the shopper into the SaaS app', async ({ checkout, system, page }) => {
    await page.routeWebSocket(/\/socket\.io\//, (ws) => ws.close({ code: 1008, reason: 'WebSockets are blocked here' }));
    const polls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/socket.io/') && request.url().includes('transport=polling')) polls.push(request.url());
    });
    const shown = await checkout.followStatus();
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email });
    await checkout.pay.click();

    await checkout.expectSignedIn(system.saasApp, email);
    expect(shown).toContainEqual(expect.stringContaining('Processing your payment'));
    expect(polls.length).toBeGreaterThan(0);
  });

  test('with Socket.IO unreachable, the status endpoint still carries the shopper into the SaaS app', async ({ checkout, system, page }) => {
    await page.route('**/socket.io/**', (route) => route.abort());
    await page.routeWebSocket(/\/socket\.io\//, (ws) => ws.close());
    const statusReads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && /\/api\/payments\/[^/]+$/.test(request.url())) statusReads.push(request.url());
    });
    const shown = await checkout.followStatus();
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email });
    await checkout.pay.click();

    await checkout.expectSignedIn(system.saasApp, email);
    expect(shown).toContainEqual(expect.stringContaining('Processing your payment'));
    expect(statusReads.length).toBeGreaterThan(0);
  });

  test(
    'when the payment takes unusually long, the page says so and keeps waiting until the shopper is signed in',
    { tag: STAND_INS_TAG },
    async ({ checkout, billingGates, system, page }) => {
      // The page's own clock runs ahead, so "20 s without news" does not take 20 s of the suite.
      await page.clock.install();
      await billingGates.control({ latencyMs: 3_500 });
      const email = newShopperEmail();
      await checkout.open();
      await checkout.fill({ email });
      await checkout.pay.click();
      await expect(checkout.status).toContainText('Processing your payment');
      await expect(checkout.status).not.toContainText('taking longer than usual');

      await page.clock.fastForward(21_000);
      await expect(checkout.status).toContainText('This is taking longer than usual');

      await checkout.expectSignedIn(system.saasApp, email);
    },
  );

  test(
    "when Billing Gates is down, the page shows the server's words instead of its own guess, and the shopper is signed in once it is back",
    { tag: STAND_INS_TAG },
    async ({ checkout, billingGates, system, page }) => {
      // The page's own clock can run ahead past its 20 s guess without the suite waiting for it.
      await page.clock.install();
      await billingGates.control({ down: true });
      const email = newShopperEmail();
      await checkout.open();
      await checkout.fill({ email });
      const paymentId = await checkout.payAndGetPaymentId();
      await expect(checkout.status).toContainText('Processing your payment');

      // The workers of this system tell the shopper after 3 s of failures (e2e/system.ts).
      await expect(checkout.status).toContainText('Your bank is not answering yet; nothing has been charged; we keep trying.', { timeout: 30_000 });
      await page.clock.fastForward(21_000);
      await expect(checkout.status).toContainText('Your bank is not answering yet');
      await expect(checkout.status).not.toContainText('taking longer than usual');

      await billingGates.control({ down: false });
      await checkout.expectSignedIn(system.saasApp, email);
      expect(await billingGates.count(paymentId, 'charge')).toBe(1);
    },
  );
});

test.describe('the checkout survives Redis losing a key', () => {
  test(
    "when the payment's snapshot is lost while its order is being set up, the page still reaches confirmed and the shopper is signed in",
    { tag: STAND_INS_TAG },
    async ({ checkout, udi, redis, system }) => {
      // A slow Udi keeps the payment paid, and the page on it, while the snapshot goes.
      await udi.control({ latencyMs: 3_000 });
      const email = newShopperEmail();
      await checkout.open();
      await checkout.fill({ email });
      const paymentId = await checkout.payAndGetPaymentId();
      await expect(checkout.status).toContainText('Payment received');

      // As an eviction or a failover would: the confirmation is then projected onto a snapshot
      // started from nothing, whose seq is no higher than the one the page already shows.
      expect(await redis.del(`payflow:payment:${paymentId}:snapshot`)).toBe(1);
      await checkout.expectSignedIn(system.saasApp, email);
    },
  );
});

test.describe('pressing Pay again never makes a second payment', () => {
  test('when the answer to Pay is lost, pressing Pay again continues the same payment and charges once', async ({ checkout, ledgers, system, page }) => {
    let acceptedId: string | undefined;
    await page.route('**/api/payments', async (route) => {
      if (acceptedId !== undefined) return route.fallback();
      // The BFF accepts the payment, but the browser never hears it: the connection drops.
      const response = await route.fetch();
      acceptedId = ((await response.json()) as { paymentId: string }).paymentId;
      return route.abort('connectionreset');
    });
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email });
    await checkout.pay.click();
    await expect(page.getByRole('alert')).toContainText('We could not reach the payment service');

    const paymentId = await checkout.payAndGetPaymentId();
    expect(paymentId).toBe(acceptedId);
    await checkout.expectSignedIn(system.saasApp, email);
    await ledgers.check('one charge', async ({ billingGates }) => expect(await billingGates.count(paymentId, 'charge')).toBe(1));
  });

  test('a reload while Pay is on its way sends the same payment again and ends signed in, charged once', async ({ checkout, ledgers, system, page }) => {
    let acceptedId: string | undefined;
    let reached!: () => void;
    const reachedBff = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const reloaded = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/payments', async (route) => {
      if (acceptedId !== undefined) return route.fallback();
      // The BFF accepts the payment; its answer is held back until the page has reloaded.
      const response = await route.fetch();
      acceptedId = ((await response.json()) as { paymentId: string }).paymentId;
      reached();
      await reloaded;
      return route.abort().catch(() => undefined); // the page that sent it is gone
    });
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email });
    await checkout.pay.click();
    await reachedBff;

    const resent = page.waitForResponse((response) => response.url().endsWith('/api/payments') && response.status() === 202);
    await page.reload();
    release();
    const paymentId = ((await (await resent).json()) as { paymentId: string }).paymentId;
    expect(paymentId).toBe(acceptedId);
    await checkout.expectSignedIn(system.saasApp, email);
    await ledgers.check('one charge', async ({ billingGates }) => expect(await billingGates.count(paymentId, 'charge')).toBe(1));
  });

  test('when a status read says the payment is unknown, pressing Pay again names the same payment and charges once', async ({ checkout, ledgers, page }) => {
    // Only the status endpoint is left to follow the payment, and it answers as for an unknown one.
    await page.route('**/socket.io/**', (route) => route.abort());
    await page.routeWebSocket(/\/socket\.io\//, (ws) => ws.close());
    await page.route(/\/api\/payments\/[^/]+$/, (route) =>
      route.fulfill({ status: 404, json: { error: { code: 'PAYMENT_NOT_FOUND', message: 'No payment with this id is visible with these credentials.' } } }),
    );
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/payments')) keys.push(request.headers()['idempotency-key'] ?? '');
    });
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email });
    const firstId = await checkout.payAndGetPaymentId();
    await expect(checkout.status).toContainText('We can no longer follow this payment');

    await page.getByRole('button', { name: 'Start a new checkout' }).click();
    await expect(checkout.email).toHaveValue(email);
    const secondId = await checkout.payAndGetPaymentId();

    expect(new Set(keys).size).toBe(1);
    expect(secondId).toBe(firstId);
    await ledgers.check('one charge', async ({ billingGates }) => {
      await expect.poll(() => billingGates.count(firstId, 'charge'), { timeout: 20_000 }).toBe(1);
    });
  });
});
