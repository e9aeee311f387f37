import { newShopperEmail } from './checkout-page.js';
import { expect, test } from './fixtures.js';
import { postPayment } from './live-view-page.js';
import { declinedThenPaid, PaymentLookupPage } from './payment-lookup-page.js';
import { STAND_INS_TAG } from './stand-ins.js';

test.describe('looking up a payment in the live view', () => {
  test('a shopper declined and then signed in with another card: the operator finds both attempts by email, and by the second paymentId', async ({
    checkout,
    ledgers,
    system,
    browser,
  }) => {
    const email = newShopperEmail();
    const { declinedId, paidId } = await declinedThenPaid(checkout, system.saasApp, email);

    const operator = await browser.newContext({ baseURL: system.bff });
    try {
      const lookup = new PaymentLookupPage(await operator.newPage());
      await lookup.open();
      await lookup.find(email, paidId, /order id \S+/);
      await expect(lookup.payments).toHaveCount(2);
      await expect(lookup.payments.first()).toHaveAttribute('data-payment-id', paidId); // newest first
      await ledgers.check('the charge id and order id shown are those of Billing Gates and Udi', async ({ billingGates, udi }) => {
        const chargeId = String((await billingGates.entries(paidId)).find((entry) => entry.kind === 'charge')?.['chargeId']);
        const orderId = String((await udi.entries(paidId)).find((entry) => entry.kind === 'order-created')?.['orderId']);
        await expect(lookup.payment(paidId)).toContainText(`charge id ${chargeId}`);
        await expect(lookup.payment(paidId)).toContainText(`order id ${orderId}`);
      });
      await expect(lookup.payment(paidId)).toContainText(/charge id \S+/);
      await expect(lookup.payment(paidId)).toContainText('Status paid → confirmed');
      const orderIdLine = await lookup
        .payment(paidId)
        .getByText(/^order id \S+$/)
        .textContent();
      await expect(lookup.payment(declinedId)).toContainText('Declined; nothing was charged');
      await expect(lookup.payment(declinedId)).toContainText('CARD_DECLINED: The card was declined by the issuer.');

      await lookup.find(paidId, declinedId, 'CARD_DECLINED');
      await expect(lookup.payments).toHaveCount(2);
      await expect(lookup.payments.first()).toHaveAttribute('data-payment-id', paidId);
      await expect(lookup.payment(paidId)).toContainText(orderIdLine!);
    } finally {
      await operator.close();
    }
  });

  test('an unknown paymentId is answered with what to check, and nothing is listed', async ({ page }) => {
    const lookup = new PaymentLookupPage(page);
    await lookup.open();
    await lookup.query.fill('3f1c1a52-8d3e-4c39-9d55-6a0b7f0e2a11');
    await lookup.lookUp.click();
    await expect(lookup.section).toContainText('No payment 3f1c1a52-8d3e-4c39-9d55-6a0b7f0e2a11 is known');
    await expect(lookup.payments).toHaveCount(0);
  });

  test(
    'a payment whose refund did not go through: the operator records the refund made by hand, and the payment is refunded',
    { tag: STAND_INS_TAG },
    async ({ page, request, system, billingGates, udi }) => {
      await udi.control({ failPlans: ['business'] });
      await billingGates.control({ refuseRefunds: true });
      const lookup = new PaymentLookupPage(page);
      await lookup.open();
      const refundedBefore = await lookup.liveView.count('Refunded');
      const paymentId = await postPayment(request, system.bff, { planId: 'business' });
      await lookup.find(paymentId, paymentId, 'refund_failed');

      const card = lookup.payment(paymentId);
      await card.getByLabel('Refund id in Billing Gates').fill('re_made_by_hand');
      await card.getByRole('button', { name: 'Record the refund made by hand' }).click();
      await expect(card.getByRole('status')).toHaveText('Recorded: the payment moves to refunded, and the shopper is told.');

      await lookup.find(paymentId, paymentId, 'Charge returned by hand by an operator');
      await expect(lookup.payment(paymentId)).toContainText('refund id re_made_by_hand');
      await expect(lookup.payment(paymentId).locator('.badge')).toHaveText('refunded');
      await expect(lookup.payment(paymentId).getByRole('button', { name: 'Record the refund made by hand' })).toHaveCount(0);
      await expect(lookup.liveView.stage('Refunded').locator('.count')).toHaveText(String(refundedBefore + 1));
    },
  );
});
