import { describe, expect, it } from 'vitest';
import type { Percentiles } from '../measuring/stats.js';
import type { BenchResults } from '../results.js';
import type { WorkersDownFlow } from '../scenarios/workers-down.js';
import { workersDownTable } from './workers-down-report.js';

const p = (p50: number, p99: number, max = p99, count = 10): Percentiles => ({ count, p50, p95: p99, p99, max, mean: p50 });
const none: Percentiles = { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };

const improved = {
  flow: 'async',
  offered: 4_000,
  errors: {},
  errorCount: 0,
  firstAnswer: p(6, 40),
  ledger: { chargedWithoutOrder: 0 },
  cpu: {
    processes: [
      { name: 'bff', cpuMs: 12_000 },
      { name: 'billing-worker', cpuMs: null },
      { name: 'order-worker', cpuMs: null },
    ],
  },
  stopped: 'workers',
  window: { fromS: 10, forS: 20, beginAtMs: 10_000, goneAtMs: 10_800, endAtMs: 30_000, backAtMs: 33_500 },
  duringStop: { arrived: 2_000, firstAnswer: p(5, 30), signedIn: p(12_000, 23_000, 24_000, 2_000), errors: {}, errorCount: 0, drainedMs: 9_400 },
  workerExits: [
    { name: 'billing-worker', code: 0, signal: null, ms: 700 },
    { name: 'order-worker', code: 0, signal: null, ms: 800 },
  ],
};
const current = {
  ...improved,
  flow: 'sync',
  errors: { DOWNSTREAM_UNAVAILABLE: 2_010, timeout: 3 },
  errorCount: 2_013,
  cpu: { processes: [{ name: 'bff', cpuMs: 300 }] },
  stopped: 'billing-gates',
  duringStop: { arrived: 2_000, firstAnswer: p(160, 300), signedIn: none, errors: { DOWNSTREAM_UNAVAILABLE: 2_000 }, errorCount: 2_000, drainedMs: null },
  workerExits: [],
};
const results = (flows: unknown[]) =>
  ({
    options: { rate: 100, workersDownDuration: 40 },
    workersDown: { stopFromS: 10, stopForS: 20, flows: flows as WorkersDownFlow[] },
  }) as unknown as BenchResults;

describe('the workers-down table', () => {
  it('gives the improved flow’s stop, its figures during the stop, and the backlog drained', () => {
    const row = workersDownTable(results([improved])).find((line) => line.startsWith('| improved'));
    expect(row).toBe(
      '| improved (Kafka) | billing and order workers, SIGTERM (billing-worker exit 0, order-worker exit 0) | 0.8 / 3.5 | 4000 | 0 | 0 | 6 / 40 | 5 / 30 | 2000 of 2000: 12000 / 23000 / 24000 | 9.4 | 0 |',
    );
  });

  it('labels the current flow’s row as Billing Gates down instead, with its errors, timeouts and no drained figure when one timed out', () => {
    const row = workersDownTable(results([current])).find((line) => line.startsWith('| current'));
    expect(row).toContain('| Billing Gates down instead (the current flow has no workers) |');
    expect(row).toContain('| 2013 (DOWNSTREAM_UNAVAILABLE 2010, timeout 3) | 3 |');
    expect(row).toContain('| 0 of 2000 | – |');
  });

  it('says which processes have no CPU figure because they restarted, rather than giving one', () => {
    expect(workersDownTable(results([improved, current])).at(-1)).toMatch(/^No CPU per payment for this scenario: billing-worker, order-worker restarted/);
    expect(workersDownTable(results([current])).join('\n')).not.toContain('No CPU');
  });

  it('when the scenario did not run, has no table', () => {
    expect(workersDownTable({ options: {} } as unknown as BenchResults)).toEqual([]);
  });
});
