/** The live view's "Look up a payment" section as an operator uses it, and the shopper's story it is asked about. */
import { expect, type Locator, type Page } from '@playwright/test';
import { CARD_THAT_IS_DECLINED, CARD_THAT_SUCCEEDS, type CheckoutPage } from './checkout-page.js';
import { LiveViewPage } from './live-view-page.js';

export class PaymentLookupPage {
  readonly liveView: LiveViewPage;
  readonly section: Locator;
  readonly query: Locator;
  readonly lookUp: Locator;
  /** Each payment the lookup shows, in the order shown. */
  readonly payments: Locator;

  constructor(readonly page: Page) {
    this.liveView = new LiveViewPage(page);
    this.section = page.getByRole('region', { name: 'Look up a payment' });
    this.query = this.section.getByLabel('Payment id or email');
    this.lookUp = this.section.getByRole('button', { name: 'Look up' });
    this.payments = this.section.getByRole('article');
  }

  /** Opens the live view, signed in. */
  open(): Promise<void> {
    return this.liveView.open();
  }

  /** The payment's card among the results. */
  payment(paymentId: string): Locator {
    return this.section.getByRole('article', { name: `Payment ${paymentId}` });
  }

  /**
   * Looks `query` up until the payment shows `text`: the history is written a moment after the
   * shopper's page hears of the change, and an answer on screen does not update itself.
   */
  async find(query: string, paymentId: string, text: string | RegExp): Promise<void> {
    await expect(async () => {
      await this.query.fill(query);
      await this.lookUp.click();
      await expect(this.payment(paymentId)).toContainText(text, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  }
}

/** A shopper whose card is declined pays again with another card and is signed in: the two paymentIds. */
export async function declinedThenPaid(checkout: CheckoutPage, saasAppUrl: string, email: string): Promise<{ declinedId: string; paidId: string }> {
  await checkout.open();
  await checkout.fill({ email, plan: 'Starter', card: CARD_THAT_IS_DECLINED });
  const declinedId = await checkout.payAndGetPaymentId();
  await expect(checkout.status).toContainText('Your payment was declined');
  await checkout.page.getByRole('button', { name: 'Try again' }).click();
  await checkout.card.selectOption({ label: CARD_THAT_SUCCEEDS });
  const paidId = await checkout.payAndGetPaymentId();
  await checkout.expectSignedIn(saasAppUrl, email);
  return { declinedId, paidId };
}
