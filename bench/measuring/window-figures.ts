import type { ShopperResult } from '../drivers/shopper.js';
import type { WindowTimes } from '../scenarios/disruption.js';
import { histogramOf, round, type Percentiles } from './stats.js';
import { errorsByCode } from './summary.js';

/** What the shoppers who arrived while something was away went through, and when its backlog cleared. */
export interface WindowFigures {
  /** Shoppers who arrived from the moment it was taken away to the moment it was asked back: they paid meanwhile. */
  arrived: number;
  firstAnswer: Percentiles;
  /** Time to signed-in of those of them who signed in. */
  signedIn: Percentiles;
  errors: Record<string, number>;
  errorCount: number;
  /**
   * From the moment it was asked back to the moment the last shopper who had arrived before it
   * was back signed in, ms. Null when one of those shoppers timed out: the backlog had not
   * cleared within --timeout, and the last sign-in seen would understate it.
   */
  drainedMs: number | null;
}

/** Picks the shoppers who paid during the window, by scheduled arrival, and takes their figures. */
export function windowFigures(results: readonly ShopperResult[], window: WindowTimes): WindowFigures {
  const during = results.filter((r) => r.arrivalMs >= window.beginAtMs && r.arrivalMs < window.endAtMs);
  const errors = errorsByCode(during);
  const backlog = results.filter((r) => r.arrivalMs < window.backAtMs);
  const lastSignedIn = backlog.reduce((last, r) => (r.signedInMs === undefined ? last : Math.max(last, r.arrivalMs + r.signedInMs)), -Infinity);
  const drainedMs = backlog.some((r) => r.outcome === 'timeout') || lastSignedIn === -Infinity ? null : round(Math.max(0, lastSignedIn - window.endAtMs));
  return {
    arrived: during.length,
    firstAnswer: histogramOf(during.flatMap((r) => (r.firstAnswerMs === undefined ? [] : [r.firstAnswerMs]))).percentiles(),
    signedIn: histogramOf(during.flatMap((r) => (r.outcome === 'signed-in' && r.signedInMs !== undefined ? [r.signedInMs] : []))).percentiles(),
    errors,
    errorCount: Object.values(errors).reduce((sum, n) => sum + n, 0),
    drainedMs,
  };
}
