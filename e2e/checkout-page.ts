/** The checkout page as a shopper sees it: found by role and label only. */
import { randomUUID } from 'node:crypto';
import { expect, type Locator, type Page } from '@playwright/test';

export const CARD_THAT_SUCCEEDS = 'Visa ending 4242 (succeeds)';
export const CARD_THAT_IS_DECLINED = 'Card that is declined';
export const CARD_THAT_NEEDS_THE_BANK = 'Card that needs your bank to confirm (3-D Secure)';

export function newShopperEmail(): string {
  return `shopper-${randomUUID().slice(0, 8)}@example.com`;
}

export class CheckoutPage {
  readonly email: Locator;
  readonly plan: Locator;
  readonly card: Locator;
  readonly pay: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByLabel('Email');
    this.plan = page.getByLabel('Plan');
    this.card = page.getByLabel('Card');
    this.pay = page.getByRole('button', { name: 'Pay', exact: true });
    this.status = page.getByRole('status');
  }

  /**
   * From now on (call it before `open()`), every text the status region shows, in order and across
   * reloads: a state the shopper saw for a moment is in it even if the flow moved on before a
   * check could look.
   */
  async followStatus(): Promise<string[]> {
    const shown: string[] = [];
    await this.page.exposeFunction('payflowStatusShown', (text: string) => {
      if (shown.at(-1) !== text) shown.push(text);
    });
    await this.page.addInitScript(() => {
      const report = (window as unknown as { payflowStatusShown: (text: string) => void }).payflowStatusShown;
      new MutationObserver(() => {
        const text = document.querySelector('[role="status"]')?.textContent?.trim();
        if (text) report(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    return shown;
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.pay).toBeEnabled(); // the plans have arrived
  }

  /** Fills the form; the plan is chosen by the start of its label, e.g. "Team". */
  async fill({ email, plan = 'Team', card = CARD_THAT_SUCCEEDS }: { email: string; plan?: string; card?: string }): Promise<void> {
    await this.email.fill(email);
    const planLabel = await this.plan.locator('option', { hasText: plan }).first().textContent();
    await this.plan.selectOption({ label: planLabel ?? plan });
    await this.card.selectOption({ label: card });
  }

  /** Presses Pay and returns the paymentId the BFF answered with. */
  async payAndGetPaymentId(press: (pay: Locator) => Promise<void> = (pay) => pay.click()): Promise<string> {
    const accepted = this.page.waitForResponse((response) => response.url().endsWith('/api/payments') && response.status() === 202);
    await press(this.pay);
    const body = (await (await accepted).json()) as { paymentId: string };
    return body.paymentId;
  }

  /** The shopper ended up in the SaaS app, signed in with their email, at a clean URL. */
  async expectSignedIn(saasAppUrl: string, email: string): Promise<void> {
    await expect(this.page).toHaveURL(`${saasAppUrl}/app`, { timeout: 30_000 });
    await expect(this.page.getByText(`Signed in as ${email}`)).toBeVisible();
  }
}
