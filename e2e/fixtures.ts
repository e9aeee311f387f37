/**
 * The tests' fixtures: the system's URLs, the pages, the ledgers, and the stand-ins. A test that
 * reshapes a stand-in (`billingGates`, `udi`) must be tagged @stand-ins, or it fails at once: the
 * tag is what keeps it out of a run against a deployment (--grep-invert @stand-ins).
 */
import { test as base, type APIRequestContext, type TestInfo } from '@playwright/test';
import type { Redis } from 'ioredis';
import { connectRedis } from '../lib/redis-connection.js';
import { CheckoutPage } from './checkout-page.js';
import { Ledgers } from './ledgers.js';
import { LiveViewPage } from './live-view-page.js';
import { Ledger, StandIn, STAND_INS_TAG, standInsPresent } from './stand-ins.js';
import { systemUrls, type SystemUrls } from './system-urls.js';

interface Fixtures {
  system: SystemUrls;
  checkout: CheckoutPage;
  liveView: LiveViewPage;
  ledgers: Ledgers;
  billingGates: StandIn;
  udi: StandIn;
  /** The system's Redis, for a @stand-ins test that loses a key on purpose. */
  redis: Redis;
}

/** A stand-in for a @stand-ins test, its control fields put back afterwards. */
async function standIn(request: APIRequestContext, url: string, testInfo: TestInfo, use: (standIn: StandIn) => Promise<void>): Promise<void> {
  if (!testInfo.tags.includes(STAND_INS_TAG)) {
    throw new Error(
      `"${testInfo.title}" reshapes a stand-in: tag it ${STAND_INS_TAG} (test('…', { tag: '${STAND_INS_TAG}' }, …)), or read the ledgers through the ledgers fixture`,
    );
  }
  if (!standInsPresent()) throw new Error(`PAYFLOW_STAND_INS=none: this system has no stand-ins to reshape; run with --grep-invert ${STAND_INS_TAG}`);
  const reshaped = new StandIn(request, url);
  await use(reshaped);
  await reshaped.restore();
}

/** The system's Redis for a @stand-ins test; the tag keeps the test out of runs against a deployment. */
async function systemRedis(url: string, testInfo: TestInfo, use: (redis: Redis) => Promise<void>): Promise<void> {
  if (!testInfo.tags.includes(STAND_INS_TAG)) {
    throw new Error(`"${testInfo.title}" reaches into the system's Redis: tag it ${STAND_INS_TAG} (test('…', { tag: '${STAND_INS_TAG}' }, …))`);
  }
  const redis = connectRedis(url, { maxRetriesPerRequest: 2 });
  try {
    await use(redis);
  } finally {
    await redis.quit();
  }
}

export const test = base.extend<Fixtures>({
  // Playwright reads a fixture's dependencies from its first parameter, so it must be a pattern.
  system: async ({}, use) => {
    await use(systemUrls());
  },
  baseURL: async ({ system }, use) => {
    await use(system.bff);
  },
  checkout: async ({ page }, use) => {
    await use(new CheckoutPage(page));
  },
  liveView: async ({ page }, use) => {
    await use(new LiveViewPage(page));
  },
  ledgers: async ({ request, system }, use, testInfo) => {
    const readable = standInsPresent() ? { billingGates: new Ledger(request, system.billingGates), udi: new Ledger(request, system.udi) } : undefined;
    await use(new Ledgers(readable, testInfo));
  },
  billingGates: async ({ request, system }, use, testInfo) => {
    await standIn(request, system.billingGates, testInfo, use);
  },
  udi: async ({ request, system }, use, testInfo) => {
    await standIn(request, system.udi, testInfo, use);
  },
  redis: async ({ system }, use, testInfo) => {
    await systemRedis(system.redis, testInfo, use);
  },
});

export { expect } from '@playwright/test';
