/**
 * Refreshes the screenshots the README shows: `PAYFLOW_DOC_SCREENSHOTS=1 npx playwright test
 * --project=docs`. Not part of the normal run, so the suite never rewrites tracked files.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../scripts/start-config.js';
import { expect, test } from './fixtures.js';
import { newShopperEmail } from './checkout-page.js';
import { LiveViewPage, postPayment } from './live-view-page.js';
import { declinedThenPaid, PaymentLookupPage } from './payment-lookup-page.js';
import { STAND_INS_TAG } from './stand-ins.js';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

test.use({ viewport: { width: 1200, height: 760 } });

test('the processing view and the signed-in view', { tag: STAND_INS_TAG }, async ({ checkout, billingGates, system, page }) => {
  // A slow card processor (below the billing worker's 5 s timeout) keeps the processing view on screen.
  await billingGates.control({ latencyMs: 4_000 });
  await checkout.open();
  await checkout.fill({ email: 'ada@example.com', plan: 'Team' });
  await checkout.pay.click();
  await expect(checkout.status).toContainText('Processing your payment');
  await page.screenshot({ path: join(SCREENSHOTS, 'processing.png'), animations: 'disabled' });

  await checkout.expectSignedIn(system.saasApp, 'ada@example.com');
  await page.screenshot({ path: join(SCREENSHOTS, 'signed-in.png') });
});

test("the operators' live view while payments flow", { tag: STAND_INS_TAG }, async ({ page, request, system, billingGates, udi }) => {
  await billingGates.control({ declineTokens: ['pm_card_declined'] });
  await udi.control({ failPlans: ['business'] });
  const view = new LiveViewPage(page);
  await view.open();
  const settled = [
    ...['team', 'team', 'starter', 'team', 'starter', 'team'].map((planId) => postPayment(request, system.bff, { planId })),
    postPayment(request, system.bff, { token: 'pm_card_declined' }),
    postPayment(request, system.bff, { planId: 'business' }),
  ];
  const last = (await Promise.all(settled)).at(-1)!;
  await expect(view.payment(last)).toContainText('refunded');
  // One whose refund is refused: the stage an operator must act on.
  await billingGates.control({ refuseRefunds: true });
  await expect(view.payment(await postPayment(request, system.bff, { planId: 'business' }))).toContainText('refund_failed');
  // In flight as the picture is taken: slow card processing keeps them accepted, not yet charged.
  await billingGates.control({ latencyMs: 4_000 });
  const inFlight = await Promise.all([1, 2, 3].map(() => postPayment(request, system.bff)));
  await expect(view.payment(inFlight[2]!)).toContainText('processing');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(SCREENSHOTS, 'live-view.png'), fullPage: true, animations: 'disabled' });
});

test('the lookup of a shopper who was declined, then paid with another card', { tag: STAND_INS_TAG }, async ({ checkout, billingGates, system, browser }) => {
  await billingGates.control({ declineTokens: ['pm_card_declined'] });
  const email = newShopperEmail();
  const { paidId } = await declinedThenPaid(checkout, system.saasApp, email);
  const operator = await browser.newContext({ baseURL: system.bff, viewport: { width: 1200, height: 760 } });
  try {
    const lookup = new PaymentLookupPage(await operator.newPage());
    await lookup.open();
    await lookup.find(email, paidId, 'order id');
    await expect(lookup.payments).toHaveCount(2);
    await lookup.section.screenshot({ path: join(SCREENSHOTS, 'payment-lookup.png'), animations: 'disabled' });
  } finally {
    await operator.close();
  }
});
