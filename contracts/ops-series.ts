/**
 * The live view's charts: for the last 15 minutes, in 10-second buckets, how many payments ended in
 * each outcome and how long the confirmed ones took from their 202 (a fixed-bucket histogram). The
 * BFF adds each move to its bucket in Redis; the page adds each move it is sent to its own copy. Both
 * place a move by this module, so the two agree.
 */
import type { OpsMove } from './ops-move.js';
import type { TerminalStatus } from './lifecycle.js';
import { isTerminal, TERMINAL_STATUSES } from './payment-status.js';

export const SERIES_BUCKET_SECONDS = 10;
export const SERIES_WINDOW_SECONDS = 15 * 60;
/** Buckets in the window, the current one included. */
export const SERIES_BUCKETS = SERIES_WINDOW_SECONDS / SERIES_BUCKET_SECONDS;

/** The outcomes the charts count: the terminal statuses (refund_failed can later become refunded; it is then counted in both). */
export const OPS_OUTCOMES = TERMINAL_STATUSES;
export type OpsOutcome = TerminalStatus;

/**
 * Upper bounds (seconds) of the histogram of seconds from 202 to confirmed; one more bucket holds
 * everything above the last. A percentile is interpolated within its bucket, so it is off by at most
 * the bucket's width: 0.1 s up to 0.6 s, 0.2–0.25 s up to 1.5 s, 0.5 s up to 3 s, and coarser
 * beyond (an outage's figures, where a second either way does not matter).
 */
export const CONFIRM_SECONDS_BOUNDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 20, 30, 60, 120] as const;

export interface OpsSeriesBucket {
  /** Start of the bucket, seconds since the epoch (a multiple of SERIES_BUCKET_SECONDS). */
  start: number;
  outcomes: Record<OpsOutcome, number>;
  /** Confirmed payments per histogram bucket: index i counts those above bound i-1 up to bound i; the last, those above every bound. */
  confirmSeconds: number[];
}

export interface OpsSeries {
  /** When the series was read (ISO 8601, the BFF's clock): the page measures the window from it. */
  at: string;
  /** The buckets of the window that have anything in them, oldest first. */
  buckets: OpsSeriesBucket[];
}

/** Start (epoch seconds) of the bucket holding the instant `ms` (epoch milliseconds). */
export function bucketStart(ms: number): number {
  const seconds = Math.floor(ms / 1000);
  return seconds - (seconds % SERIES_BUCKET_SECONDS);
}

export function emptyBucket(start: number): OpsSeriesBucket {
  return { start, outcomes: perOutcome(() => 0), confirmSeconds: new Array<number>(CONFIRM_SECONDS_BOUNDS.length + 1).fill(0) };
}

/** A record with one entry per outcome, each `value(outcome)`. */
export function perOutcome<T>(value: (outcome: OpsOutcome) => T): Record<OpsOutcome, T> {
  return Object.fromEntries(OPS_OUTCOMES.map((outcome) => [outcome, value(outcome)])) as Record<OpsOutcome, T>;
}

/** The histogram bucket of a time to confirmed. */
export function confirmSecondsIndex(seconds: number): number {
  const index = CONFIRM_SECONDS_BOUNDS.findIndex((bound) => seconds <= bound);
  return index === -1 ? CONFIRM_SECONDS_BOUNDS.length : index;
}

/** What a move adds to the series: one to its outcome in its bucket, and for a confirmation with a known time, one to the histogram. Nothing for a move to processing or paid. */
export function seriesContribution(move: OpsMove): { start: number; outcome: OpsOutcome; confirmIndex?: number } | undefined {
  const outcome = move.to;
  if (!isTerminal(outcome)) return undefined;
  const at = Date.parse(move.at);
  if (Number.isNaN(at)) return undefined;
  const start = bucketStart(at);
  if (outcome !== 'confirmed' || move.secondsSinceAccepted === undefined) return { start, outcome };
  return { start, outcome, confirmIndex: confirmSecondsIndex(move.secondsSinceAccepted) };
}

/** Adds two histograms (of the same bounds) into a new one. */
export function addHistograms(a: readonly number[], b: readonly number[]): number[] {
  return a.map((count, index) => count + (b[index] ?? 0));
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram, interpolated linearly within the bucket it falls in
 * (as Prometheus' histogram_quantile does); undefined for an empty histogram. In the bucket above
 * every bound it is that last bound: the histogram says only "more than".
 */
export function quantile(histogram: readonly number[], q: number): number | undefined {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (const [index, count] of histogram.entries()) {
    if (count > 0 && below + count >= rank) {
      const lower = index === 0 ? 0 : CONFIRM_SECONDS_BOUNDS[index - 1]!;
      const upper = CONFIRM_SECONDS_BOUNDS[index];
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - below)) / count;
    }
    below += count;
  }
  return CONFIRM_SECONDS_BOUNDS[CONFIRM_SECONDS_BOUNDS.length - 1];
}
