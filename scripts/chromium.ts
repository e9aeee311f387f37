import type { LaunchOptions } from '@playwright/test';

/**
 * How payflow launches Chromium wherever it drives one (the browser tests, the scale tier, the
 * diagram renderer): Debian's own build, never a browser Playwright downloads. No sandbox, since
 * Chromium's refuses to start as root; no background networking or component updates, since
 * nothing a test does should reach beyond the machine.
 */
export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
} satisfies LaunchOptions;
