import { CARD_THAT_IS_DECLINED, CARD_THAT_SUCCEEDS, newShopperEmail } from './checkout-page.js';
import { expect, test } from './fixtures.js';
import { STAND_INS_TAG } from './stand-ins.js';

test.describe('checkout in the browser', () => {
  test('a shopper who pays is shown the payment processing, then lands in the SaaS app, signed in with their email', async ({ checkout, system }) => {
    const shown = await checkout.followStatus();
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email, plan: 'Team' });

    await checkout.pay.click();
    await checkout.expectSignedIn(system.saasApp, email);
    expect(shown).toContainEqual(expect.stringContaining('Processing your payment'));
  });

  test('a declined card shows the reason, and trying again with another card signs the shopper in', async ({ checkout, ledgers, system }) => {
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email, plan: 'Starter', card: CARD_THAT_IS_DECLINED });

    const declinedId = await checkout.payAndGetPaymentId();
    await expect(checkout.status).toContainText('Your payment was declined');
    await expect(checkout.status).toContainText('The card was declined by the issuer.');

    await checkout.page.getByRole('button', { name: 'Try again' }).click();
    await expect(checkout.email).toHaveValue(email);
    await checkout.card.selectOption({ label: CARD_THAT_SUCCEEDS });
    const paidId = await checkout.payAndGetPaymentId();
    expect(paidId).not.toBe(declinedId); // a new attempt, with a new Idempotency-Key

    await checkout.expectSignedIn(system.saasApp, email);
    await ledgers.check('declined, then charged once', async ({ billingGates }) => {
      expect(await billingGates.kinds(declinedId)).toEqual(['decline']);
      expect(await billingGates.kinds(paidId)).toEqual(['charge']);
    });
  });

  test('a double click on Pay makes one payment and one charge', async ({ checkout, ledgers, system }) => {
    const posts: string[] = [];
    checkout.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/payments')) posts.push(request.headers()['idempotency-key'] ?? '');
    });
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email });

    const paymentId = await checkout.payAndGetPaymentId((pay) => pay.dblclick());
    await checkout.expectSignedIn(system.saasApp, email);

    expect(new Set(posts).size).toBe(1); // however many requests left, they carried one key
    await ledgers.check('one charge', async ({ billingGates }) => expect(await billingGates.count(paymentId, 'charge')).toBe(1));
  });

  test('the SSO token travels only in a form POST, and is refused when replayed', async ({ checkout, system, request }) => {
    const tokens: string[] = [];
    const urls: string[] = [];
    const headerValues: string[] = [];
    checkout.page.on('request', (sent) => {
      urls.push(sent.url());
      headerValues.push(...Object.values(sent.headers()));
      if (sent.method() === 'POST' && sent.url() === `${system.saasApp}/sso`) {
        const token = new URLSearchParams(sent.postData() ?? '').get('token');
        if (token) tokens.push(token);
      }
    });
    const email = newShopperEmail();
    await checkout.open();
    await checkout.fill({ email });
    await checkout.pay.click();
    await checkout.expectSignedIn(system.saasApp, email);

    expect(tokens).toHaveLength(1);
    const token = tokens[0]!;
    expect(urls.filter((url) => url.includes(token))).toEqual([]);
    expect(headerValues.filter((value) => value.includes(token))).toEqual([]); // no Referer carries it

    const replay = await request.post(`${system.saasApp}/sso`, { form: { token }, maxRedirects: 0 });
    expect(replay.status()).toBe(401);
    expect(await replay.text()).toContain('This sign-in link has already been used or has expired.');
  });

  test('when the plans cannot be loaded, the page says so and loads them on request', async ({ checkout, page }) => {
    let failPlans = true;
    await page.route('**/api/plans', (route) => (failPlans ? route.fulfill({ status: 503, body: '' }) : route.fallback()));
    await page.goto('/');
    await expect(page.getByRole('alert')).toContainText('We could not load the plans');
    await expect(checkout.pay).toBeDisabled();

    failPlans = false;
    await page.getByRole('button', { name: 'Load plans again' }).click();
    await expect(checkout.pay).toBeEnabled();
    await expect(checkout.plan).toContainText('Team');
  });

  test(
    'when the order cannot be completed after the charge, the shopper sees the refund and the reason',
    { tag: STAND_INS_TAG },
    async ({ checkout, billingGates, udi }) => {
      await udi.control({ failPlans: ['business'] });
      await checkout.open();
      await checkout.fill({ email: newShopperEmail(), plan: 'Business' });

      const paymentId = await checkout.payAndGetPaymentId();
      await expect(checkout.status).toContainText('We could not set up your workspace');
      await expect(checkout.status).toContainText('Plan business cannot be ordered right now.');
      await expect(checkout.status).toContainText('refunded in full');
      await expect(checkout.page.getByRole('button', { name: 'Try again' })).toBeVisible();
      expect((await billingGates.kinds(paymentId)).sort()).toEqual(['charge', 'refund']);
    },
  );

  test('a shopper using only the keyboard can fill the form and pay', async ({ checkout, system, page }) => {
    const email = newShopperEmail();
    await checkout.open();
    await checkout.email.focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await expect(checkout.plan).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(checkout.card).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(checkout.pay).toBeFocused();

    await page.keyboard.press('Enter');
    // The Pay button disappears with the form: the focus moves to the news, not to the page's top.
    await expect(checkout.status.getByRole('heading')).toBeFocused();
    await checkout.expectSignedIn(system.saasApp, email);
  });
});
