import { describe, expect, it } from 'vitest';
import type { OpsMove } from '../../../contracts/ops-move.js';
import { emptyBucket, type OpsSeries } from '../../../contracts/ops-series.js';
import { SeriesState } from './chart-series.js';

/** The BFF's clock when the series was read: 5 s into a bucket. */
const AT = Date.parse('2026-12-01T12:00:05.000Z');
const CURRENT = Date.parse('2026-12-01T12:00:00.000Z') / 1000;

function series(buckets: OpsSeries['buckets'] = []): OpsSeries {
  return { at: new Date(AT).toISOString(), buckets };
}

const confirmed = (atMs: number, secondsSinceAccepted?: number): OpsMove => ({
  paymentId: 'p',
  from: 'paid',
  to: 'confirmed',
  at: new Date(atMs).toISOString(),
  ...(secondsSinceAccepted === undefined ? {} : { secondsSinceAccepted }),
});
const declined = (atMs: number): OpsMove => ({ paymentId: 'd', from: 'processing', to: 'failed', at: new Date(atMs).toISOString() });

describe("the live view charts' series", () => {
  it('a move is added to the bucket of its time, and the window is 90 buckets ending now', () => {
    const state = new SeriesState();
    const localNow = AT - 60_000; // this page's clock is a minute behind the BFF's
    state.load(series(), localNow);
    state.fold(confirmed(AT, 0.7));
    state.fold(confirmed(AT + 1_000, 0.9));
    state.fold(declined(AT - 10_000));
    state.fold({ paymentId: 'p', from: 'processing', to: 'paid', at: new Date(AT).toISOString() });
    const points = state.points(localNow);
    expect(points.time).toHaveLength(90);
    expect(points.time.at(-1)).toBe(CURRENT);
    // The current bucket is 5 s old: 2 confirmations in 5 s.
    expect(points.perSecond.confirmed.at(-1)).toBeCloseTo(0.4);
    expect(points.perSecond.failed.at(-2)).toBeCloseTo(0.1);
    expect(points.perSecond.refunded.every((rate) => rate === 0)).toBe(true);
    expect(points.p50.at(-1)).toBeCloseTo(0.8);
    expect(points.p50.at(-2)).toBeNull();
  });

  it('starts from the series the server sent and goes on from it', () => {
    const bucket = emptyBucket(CURRENT - 10);
    bucket.outcomes.confirmed = 3;
    bucket.confirmSeconds[6] = 3;
    const state = new SeriesState();
    state.load(series([bucket]), AT);
    state.fold(confirmed(AT - 8_000, 0.75));
    state.fold(declined(AT));
    expect(state.summary(60, AT)).toEqual({
      outcomes: { confirmed: 4, failed: 1, refunded: 0, refund_failed: 0 },
      p50: expect.closeTo(0.7, 5) as number,
      p99: expect.closeTo(0.798, 5) as number,
    });
    // What was loaded is a copy: folding does not change the board it came from.
    expect(bucket.outcomes.confirmed).toBe(3);
  });

  it('a confirmation without a known time counts, but gives no percentile', () => {
    const state = new SeriesState();
    state.load(series(), AT);
    state.fold(confirmed(AT));
    expect(state.summary(60, AT)).toEqual({ outcomes: { confirmed: 1, failed: 0, refunded: 0, refund_failed: 0 }, p50: undefined, p99: undefined });
  });

  it('buckets that leave the window are dropped as time passes, and the summary covers only the last minute', () => {
    const state = new SeriesState();
    state.load(series(), AT);
    state.fold(confirmed(AT, 0.5));
    state.fold(confirmed(AT - 120_000, 0.5));
    expect(state.summary(60, AT).outcomes.confirmed).toBe(1);
    expect(state.summary(900, AT).outcomes.confirmed).toBe(2);
    const later = AT + 15 * 60_000;
    expect(state.points(later).perSecond.confirmed.every((rate) => rate === 0)).toBe(true);
    expect(state.summary(900, later).outcomes.confirmed).toBe(0);
  });
});
