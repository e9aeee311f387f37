import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the whole system (e2e/). The global setup builds the page and starts every
 * process on free ports; the browser is Debian's Chromium, never a downloaded one.
 * PAYFLOW_DOC_SCREENSHOTS=1 adds the "docs" project, which refreshes docs/screenshots/.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/output',
  globalSetup: './e2e/global-setup.ts',
  // One system, one browser: tests change the stand-ins' behaviour, so they run one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env['CI']),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'checkout', testMatch: /.*\.spec\.ts$/ },
    ...(process.env['PAYFLOW_DOC_SCREENSHOTS'] ? [{ name: 'docs', testMatch: /docs-screenshots\.ts$/ }] : []),
  ],
});
