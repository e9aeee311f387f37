import { newShopperEmail } from './checkout-page.js';
import { expect, test } from './fixtures.js';
import { declinedThenPaid, PaymentLookupPage } from './payment-lookup-page.js';

test.describe('looking up a payment in the live view', () => {
  test('a shopper declined and then signed in with another card: the operator finds both attempts by email, and by the second paymentId', async ({ checkout, ledgers, system, browser }) => {
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
      const orderIdLine = await lookup.payment(paidId).getByText(/^order id \S+$/).textContent();
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
});
