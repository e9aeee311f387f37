/**
 * Playwright's global setup: builds the checkout page, then brings the whole system up as real
 * processes (scripts/processes.ts) on free ports, and tells the tests where through
 * PAYFLOW_*_URL variables. The function it returns is the teardown.
 *
 * With PAYFLOW_BFF_URL already set, the tests run against that system instead (Billing Gates,
 * Udi and the SaaS app at PAYFLOW_BILLING_GATES_URL, PAYFLOW_UDI_URL, PAYFLOW_SAAS_APP_URL, or
 * their default ports), and nothing is built or started.
 */
import { join } from 'node:path';
import { build } from 'vite';
import { parseInfraEnv } from '../infra/infra-env.js';
import { createConsoleLogger } from '../scripts/log-output.js';
import { REPO_ROOT } from '../scripts/start-config.js';
import { startSystem } from './system.js';
import { URL_VARIABLES, type SystemUrls } from './system-urls.js';

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const log = createConsoleLogger('e2e', process.env['E2E_LOG_LEVEL'] ?? 'info');
  if (process.env[URL_VARIABLES.bff]) {
    log.info(`testing the system at ${process.env[URL_VARIABLES.bff]}`);
    return undefined;
  }

  const started = Date.now();
  // Vite sets NODE_ENV=production in this process while it builds; the processes started below
  // inherit our environment and would then refuse the development SSO key.
  const nodeEnv = process.env['NODE_ENV'];
  await build({ configFile: join(REPO_ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  if (nodeEnv === undefined) delete process.env['NODE_ENV'];
  else process.env['NODE_ENV'] = nodeEnv;
  log.info('checkout page built into web/dist');

  const system = await startSystem({
    infraEnv: parseInfraEnv(process.env),
    // The processes' own logs are noise next to the test report unless asked for.
    logLevel: process.env['E2E_LOG_LEVEL'] ?? 'warn',
    log,
  });
  for (const [name, variable] of Object.entries(URL_VARIABLES)) {
    process.env[variable] = system.urls[name as keyof SystemUrls];
  }
  log.info(`payflow is up for the browser tests in ${Math.round((Date.now() - started) / 1000)} s at ${system.urls.bff}`);

  return async () => {
    await system.stop();
    log.info('payflow stopped');
  };
}
