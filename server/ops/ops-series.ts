/**
 * Where the live view's charts live in Redis: one hash per 10-second bucket
 * (`payflow:<prefix>ops:series:<start>`), with a count per outcome and the histogram of seconds to
 * confirmed (fields `s0`…`s22`). Every field is only ever incremented (HINCRBY), so any replica
 * can add to any bucket, and each hash expires a little after its bucket leaves the 15-minute window.
 */
import {
  bucketStart,
  CONFIRM_SECONDS_BOUNDS,
  emptyBucket,
  OPS_OUTCOMES,
  SERIES_BUCKET_SECONDS,
  SERIES_BUCKETS,
  SERIES_WINDOW_SECONDS,
  seriesContribution,
  type OpsMove,
  type OpsSeriesBucket,
} from '../../contracts/index.js';

/** How long after its start a bucket is kept: the window, the bucket itself, and a minute for clocks that differ between replicas. */
const KEPT_FOR_SECONDS = SERIES_WINDOW_SECONDS + SERIES_BUCKET_SECONDS + 60;

export function seriesKey(base: string, start: number): string {
  return `${base}series:${start}`;
}

/** When (epoch seconds, for EXPIREAT) the bucket starting at `start` is dropped. */
export function seriesExpiresAt(start: number): number {
  return start + KEPT_FOR_SECONDS;
}

/** What a batch of moves adds to the series, summed per bucket (by its start) and field, ready for one HINCRBY each. */
export function seriesIncrements(moves: readonly OpsMove[]): Map<number, Map<string, number>> {
  const increments = new Map<number, Map<string, number>>();
  const add = (start: number, field: string) => {
    const fields = increments.get(start) ?? new Map<string, number>();
    fields.set(field, (fields.get(field) ?? 0) + 1);
    increments.set(start, fields);
  };
  for (const move of moves) {
    const contribution = seriesContribution(move);
    if (contribution === undefined) continue;
    add(contribution.start, contribution.outcome);
    if (contribution.confirmIndex !== undefined) add(contribution.start, `s${contribution.confirmIndex}`);
  }
  return increments;
}

/** Starts of the buckets of the window ending at `nowMs`, oldest first, the current one last. */
export function windowStarts(nowMs: number): number[] {
  const current = bucketStart(nowMs);
  return Array.from({ length: SERIES_BUCKETS }, (_, index) => current - (SERIES_BUCKETS - 1 - index) * SERIES_BUCKET_SECONDS);
}

/** A bucket read back (HGETALL), or undefined when nothing is in it. */
export function parseSeriesBucket(start: number, hash: Record<string, string>): OpsSeriesBucket | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  const bucket = emptyBucket(start);
  const count = (field: string) => Math.max(0, Number(hash[field] ?? 0) || 0);
  for (const outcome of OPS_OUTCOMES) bucket.outcomes[outcome] = count(outcome);
  for (let index = 0; index <= CONFIRM_SECONDS_BOUNDS.length; index++) bucket.confirmSeconds[index] = count(`s${index}`);
  return bucket;
}
