import { newShopperEmail } from './checkout-page.js';
import { expect, test } from './fixtures.js';
import { declinedThenPaid, PaymentLookupPage } from './payment-lookup-page.js';

test.describe('looking up a payment in the live view', () => {
  test('a shopper declined and then signed in with another card: the operator finds both attempts by email, and by the second paymentId', async ({ checkout, billingGates, udi, system, browser }) => {
    await billingGates.control({ declineTokens: ['pm_card_declined'] });
    const email = newShopperEmail();
    const { declinedId, paidId } = await declinedThenPaid(checkout, system.saasApp, email);
    const chargeId = String((await billingGates.ledger(paidId)).find((entry) => entry.kind === 'charge')?.['chargeId']);
    const orderId = String((await udi.ledger(paidId)).find((entry) => entry.kind === 'order-created')?.['orderId']);

    const operator = await browser.newContext({ baseURL: system.bff });
    try {
      const lookup = new PaymentLookupPage(await operator.newPage());
      await lookup.open();
      await lookup.find(email, paidId, `order id ${orderId}`);
      await expect(lookup.payments).toHaveCount(2);
      await expect(lookup.payments.first()).toHaveAttribute('data-payment-id', paidId); // newest first
      await expect(lookup.payment(paidId)).toContainText(`charge id ${chargeId}`);
      await expect(lookup.payment(paidId)).toContainText('Status paid → confirmed');
      await expect(lookup.payment(declinedId)).toContainText('Declined; nothing was charged');
      await expect(lookup.payment(declinedId)).toContainText('CARD_DECLINED: The card was declined by the issuer.');

      await lookup.find(paidId, declinedId, 'CARD_DECLINED');
      await expect(lookup.payments).toHaveCount(2);
      await expect(lookup.payments.first()).toHaveAttribute('data-payment-id', paidId);
      await expect(lookup.payment(paidId)).toContainText(`order id ${orderId}`);
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
