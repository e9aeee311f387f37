import { CARD_THAT_NEEDS_THE_BANK, newShopperEmail } from './checkout-page.js';
import { expect, test } from './fixtures.js';

/**
 * A card whose charge needs the shopper to confirm at their bank (3-D Secure): the page says so,
 * sends the browser to the bank's challenge (Billing Gates' page), and follows the payment again
 * when the bank sends the shopper back, until the bank's word (its webhook) moves it on.
 */
test.describe('a card that needs the bank to confirm (3-D Secure)', () => {
  test('the shopper is told, confirms at the bank, comes back and lands in the SaaS app signed in, charged once', async ({ checkout, ledgers, system }) => {
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email, card: CARD_THAT_NEEDS_THE_BANK });
    const paymentId = await checkout.payAndGetPaymentId();
    await expect(checkout.status).toContainText('Your bank needs you to confirm this payment');

    await checkout.page.getByRole('button', { name: 'Complete authentication' }).click();
    await checkout.expectSignedIn(system.saasApp, email);
    await ledgers.check('charged once, once confirmed at the bank', async ({ billingGates }) =>
      expect(await billingGates.kinds(paymentId)).toEqual(['charge-pending', 'charge']),
    );
  });

  test('a shopper who fails the bank’s check comes back to words saying the bank declined it and nothing was charged', async ({ checkout, ledgers }) => {
    await checkout.open();
    await checkout.fill({ email: newShopperEmail(), card: CARD_THAT_NEEDS_THE_BANK });
    const paymentId = await checkout.payAndGetPaymentId();

    await checkout.page.getByRole('button', { name: 'Fail authentication' }).click();
    await expect(checkout.status).toContainText('Your bank could not confirm that it was you');
    await expect(checkout.status).toContainText('You have not been charged');
    await ledgers.check('nothing charged', async ({ billingGates }) => expect(await billingGates.kinds(paymentId)).not.toContain('charge'));
  });

  test('a shopper who leaves the bank’s page unanswered and reloads the checkout is sent back to the bank, and finishes', async ({ checkout, system }) => {
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email, card: CARD_THAT_NEEDS_THE_BANK });
    await checkout.payAndGetPaymentId();
    await expect(checkout.page.getByRole('button', { name: 'Complete authentication' })).toBeVisible();

    // Away from the bank without an answer, then the checkout again, as a reload of it: the page
    // resumes the payment from its session (no form to fill).
    await checkout.page.goto('/');
    await expect(checkout.status).toContainText('Your bank needs you to confirm this payment');
    await checkout.page.getByRole('button', { name: 'Complete authentication' }).click();
    await checkout.expectSignedIn(system.saasApp, email);
  });
});
