/** The tests' fixtures: the system's URLs, the stand-ins (their control restored after each test) and the page. */
import { test as base } from '@playwright/test';
import { CheckoutPage } from './checkout-page.js';
import { StandIn } from './stand-ins.js';
import { systemUrls, type SystemUrls } from './system-urls.js';

interface Fixtures {
  system: SystemUrls;
  billingGates: StandIn;
  udi: StandIn;
  checkout: CheckoutPage;
}

export const test = base.extend<Fixtures>({
  // Playwright reads a fixture's dependencies from its first parameter, so it must be a pattern.
  system: async ({}, use) => {
    await use(systemUrls());
  },
  baseURL: async ({ system }, use) => {
    await use(system.bff);
  },
  billingGates: async ({ request, system }, use) => {
    const billingGates = new StandIn(request, system.billingGates);
    await use(billingGates);
    await billingGates.restore();
  },
  udi: async ({ request, system }, use) => {
    const udi = new StandIn(request, system.udi);
    await use(udi);
    await udi.restore();
  },
  checkout: async ({ page }, use) => {
    await use(new CheckoutPage(page));
  },
});

export { expect } from '@playwright/test';
