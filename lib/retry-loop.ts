import { backoffDelay } from './backoff.js';
import type { Logger } from './logger.js';
import { askedWaitMs } from './retry-after.js';
import { sleep } from './sleep.js';

export interface RetryOptions {
  /** Once any of these aborts, no further attempt is made and the last error is thrown. */
  signals: AbortSignal[];
  logger: Logger;
  /** Errors that end the loop at once, thrown as they are. */
  isFinal?: (err: unknown) => boolean;
  onRetry?: (attempt: number, err: unknown) => void;
}

/**
 * Runs `attempt` until it resolves, with capped exponential backoff between failures, or longer
 * when the error carries the wait a downstream asked for (`retryAfterMs`, from its Retry-After):
 * a service refusing what is above its capacity is not asked again before it said to.
 */
export async function retrying(attempt: () => Promise<void>, { signals, logger, isFinal, onRetry }: RetryOptions): Promise<void> {
  const stopped = () => signals.some((signal) => signal.aborted);
  for (let failures = 0; ; failures++) {
    try {
      await attempt();
      return;
    } catch (err) {
      if (stopped() || isFinal?.(err)) throw err;
      const delay = Math.max(backoffDelay(failures), askedWaitMs(err));
      // The message is enough here: a retry is expected, and a stack per attempt would drown the log.
      logger.warn({ error: err instanceof Error ? err.message : String(err), attempt: failures + 1, retryInMs: delay }, 'transient failure; retrying');
      onRetry?.(failures + 1, err);
      // sleep() removes its listeners when it wakes: nothing per retry outlives the retry.
      await sleep(delay, ...signals);
      if (stopped()) throw err;
    }
  }
}
