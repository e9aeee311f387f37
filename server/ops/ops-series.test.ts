import { describe, expect, it } from 'vitest';
import { SERIES_BUCKETS, type OpsMove } from '../../contracts/index.js';
import { parseSeriesBucket, seriesExpiresAt, seriesIncrements, seriesKey, windowStarts } from './ops-series.js';

const move = (to: OpsMove['to'], at: string, secondsSinceAccepted?: number): OpsMove => ({
  paymentId: 'p',
  from: 'paid',
  to,
  at,
  ...(secondsSinceAccepted === undefined ? {} : { secondsSinceAccepted }),
});

describe('the series in Redis', () => {
  it("a bucket is a hash per 10 seconds under the board's prefix, kept until a minute after it leaves the window", () => {
    expect(seriesKey('payflow:p.ops:', 1_796_083_200)).toBe('payflow:p.ops:series:1796083200');
    expect(seriesExpiresAt(1_796_083_200)).toBe(1_796_083_200 + 900 + 10 + 60);
  });

  it('sums a batch per bucket and field: outcomes by name, times to confirmed by histogram bucket; processing and paid add nothing', () => {
    const increments = seriesIncrements([
      move('confirmed', '2026-12-01T00:00:09.999Z', 0.05),
      move('confirmed', '2026-12-01T00:00:01.000Z', 0.1),
      move('confirmed', '2026-12-01T00:00:02.000Z', 130),
      move('confirmed', '2026-12-01T00:00:03.000Z'),
      move('paid', '2026-12-01T00:00:03.000Z'),
      move('failed', '2026-12-01T00:00:10.000Z'),
      move('refund_failed', '2026-12-01T00:00:10.000Z'),
      move('refunded', '2026-12-01T00:00:19.000Z'),
    ]);
    const start = Date.parse('2026-12-01T00:00:00.000Z') / 1000;
    expect([...increments].map(([bucket, fields]) => [bucket - start, Object.fromEntries(fields)])).toEqual([
      [0, { confirmed: 4, s0: 2, s22: 1 }],
      [10, { failed: 1, refund_failed: 1, refunded: 1 }],
    ]);
  });

  it('the window is 90 buckets ending with the one now is in', () => {
    const starts = windowStarts(Date.parse('2026-12-01T00:15:05.500Z'));
    const end = Date.parse('2026-12-01T00:15:00.000Z') / 1000;
    expect(starts).toHaveLength(SERIES_BUCKETS);
    expect(starts.at(-1)).toBe(end);
    expect(starts[0]).toBe(end - 890);
  });

  it('reads a bucket back, missing fields as zero, and an empty hash as no bucket', () => {
    expect(parseSeriesBucket(10, {})).toBeUndefined();
    const bucket = parseSeriesBucket(10, { confirmed: '3', failed: '1', s4: '2', s22: '1', junk: 'x' })!;
    expect(bucket.outcomes).toEqual({ confirmed: 3, failed: 1, refunded: 0, refund_failed: 0 });
    expect(bucket.confirmSeconds).toHaveLength(23);
    expect(bucket.confirmSeconds[4]).toBe(2);
    expect(bucket.confirmSeconds[22]).toBe(1);
    expect(bucket.confirmSeconds.reduce((a, b) => a + b)).toBe(3);
  });
});
