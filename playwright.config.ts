import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from './scripts/chromium.js';

/**
 * Whether to film the page: the video and the trace's screenshots of each test, kept for those
 * that fail. Not in CI, which keeps only the console output: there, filming every test would cost
 * two fifths of the browser run's CPU (measured: 93 s of CPU for the 22 flows with it, 54 s without)
 * for files nobody sees. The trace's snapshots of the page at each step are kept everywhere.
 */
const filmThePage = !process.env['CI'];

/**
 * Browser tests of the whole system (e2e/). The global setup builds the page and starts every
 * process on free ports, or, with PAYFLOW_BFF_URL set, tests a system someone else runs (then
 * leave out the tests tagged @stand-ins: --grep-invert @stand-ins). The browser is Debian's
 * Chromium, never a downloaded one. Besides the list on the console, the run writes an HTML report
 * to playwright-report/ (`npx playwright show-report`), with the trace, screenshot and video of
 * each failed test (no video in CI: see filmThePage). PAYFLOW_DOC_SCREENSHOTS=1 adds the "docs"
 * project, which refreshes docs/screenshots/.
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
  // playwright-report/ is where `npx playwright show-report` looks; PLAYWRIGHT_HTML_OUTPUT_DIR moves it.
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    browserName: 'chromium',
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: { mode: 'retain-on-failure', screenshots: filmThePage },
    // Encoded by Debian's ffmpeg, which scripts/bootstrap.mjs installs where Playwright looks for its own.
    video: filmThePage ? 'retain-on-failure' : 'off',
  },
  projects: [
    { name: 'checkout', testMatch: /.*\.spec\.ts$/ },
    ...(process.env['PAYFLOW_DOC_SCREENSHOTS'] ? [{ name: 'docs', testMatch: /docs-screenshots\.ts$/ }] : []),
  ],
});
