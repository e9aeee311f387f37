/**
 * The charts' data on the page: the last 15 minutes in 10-second buckets, from the series the
 * board brings on connect, with each move the socket sends after it added to its bucket. Times
 * are the BFF's: the page measures the window from the clock of the board it was sent.
 */
import type { OpsMove } from '../../../contracts/ops-move.js';
import {
  addHistograms,
  bucketStart,
  emptyBucket,
  OPS_OUTCOMES,
  perOutcome,
  quantile,
  SERIES_BUCKET_SECONDS,
  SERIES_BUCKETS,
  seriesContribution,
  type OpsOutcome,
  type OpsSeries,
  type OpsSeriesBucket,
} from '../../../contracts/ops-series.js';

/** The charts' columns: one point per bucket of the window, oldest first. */
export interface SeriesPoints {
  /** Start of each bucket, epoch seconds. */
  time: number[];
  /** Payments per second in each outcome. */
  perSecond: Record<OpsOutcome, number[]>;
  /** Seconds from 202 to confirmed; null where a bucket has no confirmation. */
  p50: Array<number | null>;
  p99: Array<number | null>;
}

/** The figures of the last stretch of time, for the lines under the charts. */
export interface SeriesSummary {
  outcomes: Record<OpsOutcome, number>;
  p50: number | undefined;
  p99: number | undefined;
}

export class SeriesState {
  private readonly buckets = new Map<number, OpsSeriesBucket>();
  /** The BFF's clock minus this page's, from the series last loaded. */
  private clockOffsetMs = 0;

  /** Starts over from the series the server sent, read at `series.at` by its clock. */
  load(series: OpsSeries, localNowMs = Date.now()): void {
    this.clockOffsetMs = Date.parse(series.at) - localNowMs;
    this.buckets.clear();
    for (const bucket of series.buckets)
      this.buckets.set(bucket.start, { ...bucket, outcomes: { ...bucket.outcomes }, confirmSeconds: [...bucket.confirmSeconds] });
  }

  /** Adds one move to its bucket (moves to processing and paid add nothing). */
  fold(move: OpsMove): void {
    const contribution = seriesContribution(move);
    if (contribution === undefined) return;
    let bucket = this.buckets.get(contribution.start);
    if (bucket === undefined) {
      bucket = emptyBucket(contribution.start);
      this.buckets.set(contribution.start, bucket);
    }
    bucket.outcomes[contribution.outcome] += 1;
    if (contribution.confirmIndex !== undefined) bucket.confirmSeconds[contribution.confirmIndex]! += 1;
  }

  /** The BFF's time now, as far as this page can tell. */
  serverNow(localNowMs = Date.now()): number {
    return localNowMs + this.clockOffsetMs;
  }

  /**
   * One point per bucket of the window ending now. A bucket's rate is its count over its 10
   * seconds, and the current bucket's over the seconds of it gone by (at least one), so the
   * newest point is not a dip to zero at each new bucket.
   */
  points(localNowMs = Date.now()): SeriesPoints {
    const now = this.serverNow(localNowMs);
    this.dropBefore(bucketStart(now) - (SERIES_BUCKETS - 1) * SERIES_BUCKET_SECONDS);
    const current = bucketStart(now);
    const points: SeriesPoints = { time: [], perSecond: perOutcome(() => []), p50: [], p99: [] };
    for (let index = 0; index < SERIES_BUCKETS; index++) {
      const start = current - (SERIES_BUCKETS - 1 - index) * SERIES_BUCKET_SECONDS;
      const bucket = this.buckets.get(start) ?? emptyBucket(start);
      const seconds = start === current ? Math.max(1, (now - start * 1000) / 1000) : SERIES_BUCKET_SECONDS;
      points.time.push(start);
      for (const outcome of OPS_OUTCOMES) points.perSecond[outcome].push(bucket.outcomes[outcome] / seconds);
      points.p50.push(quantile(bucket.confirmSeconds, 0.5) ?? null);
      points.p99.push(quantile(bucket.confirmSeconds, 0.99) ?? null);
    }
    return points;
  }

  /** Counts and percentiles of the buckets of the last `seconds` (rounded up to whole buckets, the current one included). */
  summary(seconds: number, localNowMs = Date.now()): SeriesSummary {
    const current = bucketStart(this.serverNow(localNowMs));
    const first = current - (Math.ceil(seconds / SERIES_BUCKET_SECONDS) - 1) * SERIES_BUCKET_SECONDS;
    const total = emptyBucket(first);
    for (const bucket of this.buckets.values()) {
      if (bucket.start < first || bucket.start > current) continue;
      for (const outcome of OPS_OUTCOMES) total.outcomes[outcome] += bucket.outcomes[outcome];
      total.confirmSeconds = addHistograms(total.confirmSeconds, bucket.confirmSeconds);
    }
    return { outcomes: total.outcomes, p50: quantile(total.confirmSeconds, 0.5), p99: quantile(total.confirmSeconds, 0.99) };
  }

  private dropBefore(start: number): void {
    for (const key of this.buckets.keys()) if (key < start) this.buckets.delete(key);
  }
}
