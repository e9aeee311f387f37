/**
 * Refreshes the screenshots the README shows: `PAYFLOW_DOC_SCREENSHOTS=1 npx playwright test
 * --project=docs`. Not part of the normal run, so the suite never rewrites tracked files.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../scripts/start-config.js';
import { expect, test } from './fixtures.js';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

test.use({ viewport: { width: 1200, height: 760 } });

test('the processing view and the signed-in view', async ({ checkout, billingGates, system, page }) => {
  // A slow card processor (below the billing worker's 5 s timeout) keeps the processing view on screen.
  await billingGates.control({ latencyMs: 4_000 });
  await checkout.open();
  await checkout.fill({ email: 'ada@example.com', plan: 'Team' });
  await checkout.pay.click();
  await expect(checkout.status).toContainText('Processing your payment');
  await page.screenshot({ path: join(SCREENSHOTS, 'processing.png'), animations: 'disabled' });

  await checkout.expectSignedIn(system.saasApp, 'ada@example.com');
  await page.screenshot({ path: join(SCREENSHOTS, 'signed-in.png') });
});
