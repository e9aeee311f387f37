import type { Logger } from '../lib/logger.js';
import { sleep } from '../lib/sleep.js';

export interface WaitOptions {
  /** Named in progress lines and errors, e.g. "Kafka on 127.0.0.1:9092". */
  what: string;
  /** One attempt; true when ready. Must not throw for "not yet". */
  check: () => Promise<boolean>;
  timeoutMs: number;
  log: Logger;
  /** Pause between attempts. Default 250 ms. */
  intervalMs?: number;
  /** How often to say we are still waiting. Default 5 s. */
  progressEveryMs?: number;
  /** Resolves when waiting is pointless, e.g. when the process being waited for has exited. */
  abandonWhen?: Promise<unknown>;
}

export type WaitResult = 'ready' | 'timeout' | 'abandoned';

/**
 * Polls `check` until it answers true. Prints a progress line every few seconds so a slow start
 * never looks like a hang. Does not throw on timeout: the caller knows what to report.
 */
export async function waitUntil({ what, check, timeoutMs, log, intervalMs = 250, progressEveryMs = 5_000, abandonWhen }: WaitOptions): Promise<WaitResult> {
  const started = Date.now();
  const progress = setInterval(() => {
    log.info(`waiting for ${what} (${Math.round((Date.now() - started) / 1000)} s) …`);
  }, progressEveryMs);
  const stopped = new AbortController();
  try {
    const poll = async (): Promise<WaitResult> => {
      while (Date.now() - started < timeoutMs && !stopped.signal.aborted) {
        if (await check()) return 'ready';
        await sleep(intervalMs);
      }
      return 'timeout';
    };
    const abandoned = (abandonWhen ?? new Promise<never>(() => {})).then(() => 'abandoned' as const);
    return await Promise.race([poll(), abandoned]);
  } finally {
    stopped.abort();
    clearInterval(progress);
  }
}
