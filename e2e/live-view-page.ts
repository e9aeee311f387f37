/** The operators' live view as an operator sees it, and payments posted over the API while it is open. */
import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { PLANS } from '../contracts/plans.js';
import { DEVELOPMENT_OPS_TOKEN } from '../server/ops/ops-session.js';

/** The system's OPS_TOKEN: PAYFLOW_OPS_TOKEN when testing a system someone else runs, else the development token. */
export const OPS_TOKEN = process.env['PAYFLOW_OPS_TOKEN'] ?? DEVELOPMENT_OPS_TOKEN;

export class LiveViewPage {
  readonly token: Locator;
  readonly signIn: Locator;
  readonly connection: Locator;

  constructor(readonly page: Page) {
    this.token = page.getByLabel('Operator token');
    this.signIn = page.getByRole('button', { name: 'Sign in' });
    this.connection = page.getByRole('status');
  }

  async open(token = OPS_TOKEN): Promise<void> {
    await this.page.goto('/ops');
    await this.token.fill(token);
    await this.signIn.click();
    await expect(this.connection).toHaveText('Live');
  }

  /** The stage of the flow diagram named `name`, e.g. "Confirmed". */
  stage(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  async count(stage: string): Promise<number> {
    return Number(await this.stage(stage).locator('.count').textContent());
  }

  /** A chart of "Last 15 minutes", by its heading. */
  chart(name: 'Payments per second by outcome' | 'Seconds from 202 to confirmed'): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  /**
   * The figures under the charts for the whole window (the last 15 minutes): payments per outcome,
   * and p50/p99 of seconds to confirmed (NaN when there was no confirmation).
   */
  async chartFigures(): Promise<{ confirmed: number; failed: number; refunded: number; refundFailed: number; p50: number; p99: number }> {
    const outcomes = this.chart('Payments per second by outcome').locator('.chart-summary');
    const times = this.chart('Seconds from 202 to confirmed').locator('.chart-summary');
    const figure = async (summary: Locator, name: string) => Number((await summary.getAttribute(`data-window-${name}`)) || NaN);
    return {
      confirmed: await figure(outcomes, 'confirmed'),
      failed: await figure(outcomes, 'failed'),
      refunded: await figure(outcomes, 'refunded'),
      refundFailed: await figure(outcomes, 'refund-failed'),
      p50: await figure(times, 'p50'),
      p99: await figure(times, 'p99'),
    };
  }

  /** The row of one payment in "Recent payments", found by the start of its id as shown. */
  payment(paymentId: string): Locator {
    return this.page
      .getByRole('region', { name: 'Recent payments' })
      .getByRole('row')
      .filter({ hasText: paymentId.slice(0, 8) });
  }
}

/** Posts a payment as the checkout page would and returns its id. */
export async function postPayment(request: APIRequestContext, bffUrl: string, options: { planId?: string; token?: string } = {}): Promise<string> {
  const plan = PLANS.find((candidate) => candidate.id === (options.planId ?? 'team'))!;
  const response = await request.post(`${bffUrl}/api/payments`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: {
      planId: plan.id,
      amount: plan.amount,
      customer: { email: `ops-${randomUUID().slice(0, 8)}@example.com` },
      paymentMethod: { token: options.token ?? 'pm_card_ok' },
    },
  });
  expect(response.status(), await response.text()).toBe(202);
  return ((await response.json()) as { paymentId: string }).paymentId;
}
