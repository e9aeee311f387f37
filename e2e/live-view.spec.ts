import { expect, test } from './fixtures.js';
import { postPayment } from './live-view-page.js';
import { STAND_INS_TAG } from './stand-ins.js';

test.describe("the operators' live view", () => {
  test(
    'while payments flow, the live view shows each one accepted and then moving to confirmed',
    { tag: STAND_INS_TAG },
    async ({ liveView, request, system, billingGates }) => {
      // A slow card processor, so each payment is seen waiting before it moves on.
      await billingGates.control({ latencyMs: 1_500 });
      await liveView.open();
      const confirmedBefore = await liveView.count('Confirmed');

      const paymentIds = await Promise.all([1, 2, 3].map(() => postPayment(request, system.bff)));
      for (const paymentId of paymentIds) await expect(liveView.payment(paymentId)).toContainText('processing');
      await expect(liveView.stage('Accepted').getByText(paymentIds[0]!.slice(0, 8))).toBeVisible();

      for (const paymentId of paymentIds) await expect(liveView.payment(paymentId)).toContainText('confirmed');
      await expect(liveView.stage('Confirmed').locator('.count')).toHaveText(String(confirmedBefore + 3));
    },
  );

  test('the page says Live only once the board on screen is the current one', async ({ liveView, page, request, system }) => {
    // A browser that draws late (a busy machine, a tab in the background) must not show a stale board as live.
    await page.addInitScript(() => {
      const draw = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (callback) => window.setTimeout(() => draw(callback), 1_000);
    });
    await liveView.open();
    const paymentId = await postPayment(request, system.bff);
    await expect(liveView.payment(paymentId)).toContainText('confirmed');

    await page.reload();
    await expect(liveView.connection).toHaveText('Live');
    // Read at once, neither retried nor waited for: what the operator sees the moment the page says Live.
    expect(await liveView.count('Confirmed')).toBeGreaterThan(0);
    expect(await liveView.payment(paymentId).allTextContents()).toEqual([expect.stringContaining('confirmed')]);
  });

  test('a declined payment is counted as declined and listed among the last errors', async ({ liveView, page, request, system }) => {
    await liveView.open();
    const paymentId = await postPayment(request, system.bff, { token: 'pm_card_declined' });
    await expect(liveView.payment(paymentId)).toContainText('failed');
    await expect(page.getByRole('region', { name: 'Last errors' })).toContainText(`CARD_DECLINED payment ${paymentId.slice(0, 8)}`);
  });

  test(
    'a payment whose refund did not go through has its own stage, marked for an operator, and is listed among the last errors',
    { tag: STAND_INS_TAG },
    async ({ liveView, page, request, system, billingGates, udi }) => {
      await udi.control({ failPlans: ['business'] });
      await billingGates.control({ refuseRefunds: true });
      await liveView.open();
      const stage = liveView.stage('Refund failed');
      await expect(stage).toContainText('An operator must act on each of these.');
      const before = await liveView.count('Refund failed');

      const paymentId = await postPayment(request, system.bff, { planId: 'business' });
      await expect(liveView.payment(paymentId)).toContainText('refund_failed');
      await expect(stage.locator('.count')).toHaveText(String(before + 1));
      await expect(stage.getByText(paymentId.slice(0, 8))).toBeVisible();
      await expect(page.getByRole('region', { name: 'Last errors' })).toContainText(`payment ${paymentId.slice(0, 8)}`);
    },
  );

  test(
    'the charts show the payments just made, live and without a reload, and the page breaks no content security rule',
    { tag: STAND_INS_TAG },
    async ({ liveView, page, request, system, billingGates }) => {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/content security policy|securitypolicyviolation/i.test(message.text())) violations.push(message.text());
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`securitypolicyviolation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${event.sample}`),
        );
      });
      await billingGates.control({ latencyMs: 300, declineTokens: ['pm_card_declined'] });
      await liveView.open();
      await expect(liveView.chart('Payments per second by outcome').locator('canvas').first()).toBeVisible();
      const before = await liveView.chartFigures();
      let navigations = 0;
      page.on('framenavigated', () => (navigations += 1));

      const paymentIds = await Promise.all([
        ...[1, 2, 3].map(() => postPayment(request, system.bff)),
        postPayment(request, system.bff, { token: 'pm_card_declined' }),
      ]);
      for (const paymentId of paymentIds) await expect(liveView.payment(paymentId)).toContainText(/confirmed|failed/);

      await expect.poll(async () => (await liveView.chartFigures()).confirmed).toBe(before.confirmed + 3);
      const after = await liveView.chartFigures();
      expect(after.failed).toBe(before.failed + 1);
      // The card processor takes 300 ms, so no confirmation comes sooner; p99 is at least p50.
      expect(after.p50).toBeGreaterThan(0.2);
      expect(after.p99).toBeGreaterThanOrEqual(after.p50);
      await expect(liveView.chart('Payments per second by outcome').locator('.chart-summary')).toContainText(
        /^Last minute: \d+ confirmed, \d+ declined, \d+ refunded, \d+ refund failed\./,
      );
      await expect(liveView.chart('Seconds from 202 to confirmed').locator('.chart-summary')).toContainText(/^Last minute: p50 \d+\.\d\d s, p99 \d+\.\d\d s\./);
      expect(navigations).toBe(0);
      expect(violations).toEqual([]);
    },
  );

  test('a wrong operator token is refused, and nothing of the flow is shown', async ({ liveView, page }) => {
    await page.goto('/ops');
    await liveView.token.fill('not-the-operator-token');
    await liveView.signIn.click();
    await expect(page.getByRole('alert')).toHaveText('That is not the operator token.');
    await expect(liveView.stage('Confirmed')).toBeHidden();
  });
});
