import { describe, expect, it } from 'vitest';
import { addHistograms, bucketStart, CONFIRM_SECONDS_BOUNDS, confirmSecondsIndex, emptyBucket, quantile, seriesContribution } from './ops-series.js';

function histogram(entries: Record<number, number>): number[] {
  const counts = emptyBucket(0).confirmSeconds;
  for (const [index, count] of Object.entries(entries)) counts[Number(index)] = count;
  return counts;
}

describe('the live view series', () => {
  it('a bucket starts on a multiple of 10 seconds', () => {
    expect(bucketStart(Date.parse('2026-12-01T00:00:19.999Z'))).toBe(Date.parse('2026-12-01T00:00:10Z') / 1000);
    expect(bucketStart(Date.parse('2026-12-01T00:00:20.000Z'))).toBe(Date.parse('2026-12-01T00:00:20Z') / 1000);
  });

  it('a time to confirmed falls in the first bucket whose bound it does not exceed, or the last past every bound', () => {
    expect(confirmSecondsIndex(0)).toBe(0);
    expect(confirmSecondsIndex(0.1)).toBe(0);
    expect(confirmSecondsIndex(0.1001)).toBe(1);
    expect(confirmSecondsIndex(0.8)).toBe(6);
    expect(confirmSecondsIndex(120)).toBe(CONFIRM_SECONDS_BOUNDS.length - 1);
    expect(confirmSecondsIndex(121)).toBe(CONFIRM_SECONDS_BOUNDS.length);
  });

  it('only terminal moves count; a confirmation without a known time counts as confirmed but not in the histogram', () => {
    const at = '2026-12-01T00:00:05.000Z';
    expect(seriesContribution({ paymentId: 'p', from: 'processing', to: 'paid', at })).toBeUndefined();
    expect(seriesContribution({ paymentId: 'p', from: 'paid', to: 'confirmed', at, secondsSinceAccepted: 0.7 })).toEqual({
      start: Date.parse('2026-12-01T00:00:00Z') / 1000,
      outcome: 'confirmed',
      confirmIndex: 6,
    });
    expect(seriesContribution({ paymentId: 'p', from: 'paid', to: 'confirmed', at })).toEqual({
      start: Date.parse('2026-12-01T00:00:00Z') / 1000,
      outcome: 'confirmed',
    });
    expect(seriesContribution({ paymentId: 'p', from: 'processing', to: 'failed', at, secondsSinceAccepted: 0.2 })).toEqual({
      start: Date.parse('2026-12-01T00:00:00Z') / 1000,
      outcome: 'failed',
    });
  });

  it('a quantile is interpolated within its bucket', () => {
    // 10 payments in (0.6, 0.8]: the median is half way, the 99th percentile near the top.
    expect(quantile(histogram({ 6: 10 }), 0.5)).toBeCloseTo(0.7);
    expect(quantile(histogram({ 6: 10 }), 0.99)).toBeCloseTo(0.798);
    // 9 in (0, 0.1] and one in (1.5, 2]: the median is low, the 99th percentile in the slow one's bucket.
    expect(quantile(histogram({ 0: 9, 10: 1 }), 0.5)).toBeCloseTo(0.0556, 3);
    expect(quantile(histogram({ 0: 9, 10: 1 }), 0.99)).toBeCloseTo(1.95);
    expect(quantile(histogram({ 0: 9, 10: 1 }), 1)).toBe(2);
  });

  it('a quantile past every bound is the last bound, and an empty histogram has none', () => {
    expect(quantile(histogram({ 22: 3 }), 0.5)).toBe(120);
    expect(quantile(histogram({}), 0.5)).toBeUndefined();
  });

  it('histograms add bucket by bucket', () => {
    expect(addHistograms(histogram({ 1: 2, 3: 1 }), histogram({ 1: 1, 22: 4 }))).toEqual(histogram({ 1: 3, 3: 1, 22: 4 }));
  });
});
