import { sleep } from '../../lib/sleep.js';

/** Polls `condition` every `everyMs` until it holds; throws once `timeoutMs` has passed. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
