/**
 * An entry point that runs under runMain and then fails the way a forgotten promise or a throwing
 * timer does, for lib/main.test.ts. CRASH: `rejection` or `exception` after start;
 * `rejection-while-starting` before start has returned its logger.
 */
import { createLogger } from '../../lib/logger.js';
import { runMain } from '../../lib/main.js';
import { sleep } from '../../lib/sleep.js';

const crash = process.env['CRASH'];

function fail(): void {
  if (crash === 'exception') {
    setTimeout(() => {
      throw new Error('a timer threw');
    }, 20);
  } else {
    void Promise.reject(new Error('a promise nobody awaited was rejected'));
  }
}

runMain('crashing-main', async () => {
  const logger = createLogger('crashing-main', 'info');
  if (crash === 'rejection-while-starting') {
    fail();
    await sleep(1_000);
  } else {
    setTimeout(fail, 20);
  }
  return { logger, stop: () => Promise.resolve() };
});
