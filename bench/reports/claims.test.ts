import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../results.js';
import { claimTables } from './claims.js';

const percentiles = (p50: number, p99: number) => ({ count: 1, p50, p95: p99, p99, max: p99, mean: p50 });
const flow = (name: 'async' | 'sync', firstAnswer: [number, number], cpu: number) =>
  ({
    flow: name,
    offered: 100,
    signedIn: 100,
    errorCount: 0,
    firstAnswer: percentiles(...firstAnswer),
    signedInLatency: percentiles(650, 800),
    cpu: { totals: { flowServer: cpu } },
  }) as never;
const results = {
  takenAt: '2026-12-01T21:00:00.000Z',
  machine: { cores: 2 },
  loadBefore: 0.5,
  options: { rate: 100, burst: 500 },
  steady: [flow('async', [7, 80], 13.6), flow('sync', [606, 624], 3.2)],
} as unknown as BenchResults;

describe('the claims tables', () => {
  it('set the improved flow beside the current one, and say plainly where it is worse', () => {
    const text = claimTables(results);
    expect(text).toContain("| first answer p50 at 100/s (the current flow's is its whole checkout) | 7 ms | 606 ms | improved better |");
    expect(text).toContain('| server-side CPU per payment at 100/s | 13.6 ms | 3.2 ms | **improved worse** |');
  });

  it('leave out a claim none of whose scenarios ran, and the rows of scenarios that did not', () => {
    const text = claimTables(results);
    expect(text).not.toContain('Failures are absorbed');
    expect(text).not.toContain('burst');
  });
});
