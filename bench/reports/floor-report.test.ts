import { describe, expect, it } from 'vitest';
import type { FigurePair, FloorComparison, FloorResults } from '../measuring/floor-comparison.js';
import type { BenchResults } from '../results.js';
import { floorTables, stepVersusTable, steadyVersusTable } from './floor-report.js';

const pair = (floor: number | null, payflow: number | null, ratio: number | null): FigurePair => ({ floor, payflow, ratio });

const comparison = (rate: number, over: Partial<FloorComparison> = {}): FloorComparison => ({
  rate,
  processes: [
    { name: 'BFF', ...pair(3.13, 4.6, 1.47) },
    { name: 'billing worker', ...pair(0.4, 1.6, 4) },
    { name: 'order worker', ...pair(0.52, 1.77, 3.4) },
    { name: 'Kafka', ...pair(2.07, 3, 1.45) },
    { name: 'Redis', ...pair(0.34, 0.64, 1.89) },
  ],
  pipeline: pair(6.4, 12.93, 2.02),
  firstAnswer: { p50: pair(4.9, 43.2, 8.82), p99: pair(29.7, 201, 6.77) },
  confirmed: { p50: pair(995.5, 743.9, 0.75), p99: pair(1190.2, 1024.5, 0.86) },
  errors: { floor: { failed: 0, of: 3471 }, payflow: { failed: 0, of: 3000 } },
  sustained: { floor: null, payflow: null },
  ...over,
});

describe('the steady table against the floor', () => {
  const rows = steadyVersusTable(comparison(100));

  it('has a row per pipeline process with both figures and payflow over the floor', () => {
    expect(rows).toContain('| billing worker | 0.4 | 1.6 | 4 × |');
  });

  it('sets the pipeline in bold after the processes', () => {
    expect(rows.indexOf('| **pipeline** (BFF, workers, Kafka, Redis) | **6.4** | **12.93** | **2.02 ×** |')).toBe(
      rows.indexOf('| Redis | 0.34 | 0.64 | 1.89 × |') + 1,
    );
  });

  it('gives the first answer and the confirmed latencies, p50 / p99, of each, and the errors', () => {
    expect(rows).toContain('| first answer p50 / p99, ms | 4.9 / 29.7 | 43.2 / 201 | 8.82 × / 6.77 × |');
    expect(rows).toContain('| confirmed p50 / p99, ms (payflow: signed in) | 995.5 / 1190.2 | 743.9 / 1024.5 | 0.75 × / 0.86 × |');
    expect(rows).toContain('| errors | 0 of 3471 | 0 of 3000 | |');
  });

  it('shows a missing figure as – rather than 0', () => {
    expect(steadyVersusTable(comparison(100, { pipeline: pair(null, 12.93, null) }))).toContain(
      '| **pipeline** (BFF, workers, Kafka, Redis) | **–** | **12.93** | **–** |',
    );
  });
});

describe('the step table against the floor', () => {
  it('marks with ✗ the rate a system did not sustain, and leaves blank the side that had stopped', () => {
    const rows = stepVersusTable([
      comparison(100, { sustained: { floor: true, payflow: false } }),
      comparison(200, {
        sustained: { floor: true, payflow: null },
        pipeline: pair(3.5, null, null),
        errors: { floor: { failed: 0, of: 6000 }, payflow: null },
      }),
    ]);
    expect(rows[2]).toBe('| 100 | 6.4 | 12.93 ✗ | 2.02 × | 4.9 / 29.7 | 43.2 / 201 | 1190.2 | 1024.5 | 0 of 3471 | 0 of 3000 |');
    expect(rows[3]).toMatch(/^\| 200 \| 3\.5 \| – \| – \|.*\| 0 of 6000 \| – \|$/);
  });
});

describe('the --floor section of latest.md', () => {
  const options = { rate: 100, duration: 20, stepDuration: 10, p99Bound: 1_500, warmUp: 30 } as BenchResults['options'];
  const floor: FloorResults = { dir: '/work/shared/perf-floor', work: '/tmp/payflow-bench-floor', warmUpS: 30 };

  it('is empty without the flag, so latest.md is as before', () => {
    expect(floorTables({ options })).toEqual([]);
  });

  it('says where the floor ran from and how both were warmed, above the steady table', () => {
    const text = floorTables({ options, floor: { ...floor, versus: { steady: comparison(100) } } }).join('\n');
    expect(text).toContain(
      '**Against the floor, steady** 100/s for 20 s each: the floor (`/work/shared/perf-floor`) ran first, in the same sitting, each of its runs warmed 30 s at half its rate',
    );
    expect(text).toContain('| **pipeline** (BFF, workers, Kafka, Redis) | **6.4** | **12.93** | **2.02 ×** |');
    expect(text).not.toContain('each step');
  });

  it("gives the floor's highest rate sustained under the step table, ≥ when it sustained the last one", () => {
    const step = (sustained: boolean[]) => ({ steps: sustained.map((s, i) => ({ rate: 100 * (i + 1), sustained: s })), maxSustainedRate: 200 }) as never;
    const versus = { step: [comparison(100), comparison(200)] };
    expect(floorTables({ options, floor: { ...floor, step: step([true, true, false]), versus } }).join('\n')).toContain('The floor sustained 200/s.');
    expect(floorTables({ options, floor: { ...floor, step: step([true, true]), versus } }).join('\n')).toContain(
      'The floor sustained ≥ 200/s (the last rate).',
    );
  });
});
