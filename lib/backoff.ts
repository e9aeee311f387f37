export interface BackoffOptions {
  /** Delay before the first retry; default 200 ms. */
  initialMs?: number;
  /** Ceiling of any one delay; default 10 s. */
  maxMs?: number;
}

/**
 * Capped exponential backoff with jitter: attempt 0 waits about initialMs, each later attempt
 * twice as long, never above maxMs; the delay is drawn from [half, full] so retries of many
 * records do not hit a recovering service in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { initialMs = 200, maxMs = 10_000 } = options;
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}
