import { describe, expect, it } from 'vitest';
import { compareSteps, compareWithFloor, floorSustained, versusFloor, type FloorResults } from './floor-comparison.js';
import type { FloorRun } from './floor-result.js';
import type { FlowSummary } from './summary.js';

const floorRun = (rate: number, over: Partial<FloorRun> = {}): FloorRun =>
  ({
    rate,
    dur: 20,
    confirmedInWindow: 2000,
    errors: 0,
    shoppers: 3500,
    cpuMsPerPayment: { bff: 3.1318, billing: 0.4, order: 0.5211, kafka: 2.0, redis: 0.32, standins: 0.37, loadgen: 2.6 },
    pipelineMsPerPayment: 6.3729,
    firstAnswerMs: { p50: 4.87, p99: 29.71 },
    confirmedMs: { p50: 995.54, p99: 1190.2 },
    ...over,
  }) as FloorRun;

const percentiles = (p50: number, p99: number) => ({ count: 1, p50, p95: p99, p99, max: p99, mean: p50 });
const payflowRun = (rate: number, pipeline = 12.93) =>
  ({
    flow: 'async',
    offeredRate: rate,
    offered: 3000,
    shed: 0,
    errorCount: 0,
    firstAnswer: percentiles(43.2, 201),
    signedInLatency: percentiles(743.9, 1024.5),
    cpu: {
      processes: [
        { name: 'bff', msPerPayment: 4.6 },
        { name: 'billing-worker', msPerPayment: 1.6 },
        { name: 'order-worker', msPerPayment: 1.77 },
        { name: 'kafka', msPerPayment: 3.0 },
        { name: 'redis', msPerPayment: 0.64 },
        { name: 'udi', msPerPayment: 1.5 },
      ],
      totals: { pipeline },
    },
  }) as unknown as FlowSummary;

describe('payflow over the floor at one rate', () => {
  const c = compareWithFloor(100, floorRun(100), payflowRun(100));

  it('pairs each pipeline process by its name in either system, payflow over the floor', () => {
    expect(c.processes.map((p) => p.name)).toEqual(['BFF', 'billing worker', 'order worker', 'Kafka', 'Redis']);
    expect(c.processes[1]).toEqual({ name: 'billing worker', floor: 0.4, payflow: 1.6, ratio: 4 });
    expect(c.processes[0]).toEqual({ name: 'BFF', floor: 3.13, payflow: 4.6, ratio: 1.47 });
  });

  it('sets the pipelines side by side, the ratio from the unrounded floor figure', () => {
    expect(c.pipeline).toEqual({ floor: 6.37, payflow: 12.93, ratio: 2.03 });
  });

  it("sets the floor's confirmed beside payflow's signed in, and the first answers beside each other", () => {
    expect(c.firstAnswer.p50).toEqual({ floor: 4.9, payflow: 43.2, ratio: 8.87 });
    expect(c.confirmed.p99).toEqual({ floor: 1190.2, payflow: 1024.5, ratio: 0.86 });
    expect(c.errors).toEqual({ floor: { failed: 0, of: 3500 }, payflow: { failed: 0, of: 3000 } });
  });

  it('when the floor confirmed nothing in its window, gives no figure and no ratio rather than a wrong one', () => {
    const none = compareWithFloor(100, floorRun(100, { pipelineMsPerPayment: null, confirmedMs: { p50: null, p99: null } }), payflowRun(100));
    expect(none.pipeline).toEqual({ floor: null, payflow: 12.93, ratio: null });
    expect(none.confirmed.p50.ratio).toBeNull();
  });
});

describe('a floor step', () => {
  it('is sustained as a payflow step is: nothing failed and p99 to the outcome within the bound', () => {
    expect(floorSustained(floorRun(200), 1_500)).toBe(true);
    expect(floorSustained(floorRun(200, { errors: 1 }), 1_500)).toBe(false);
    expect(floorSustained(floorRun(200, { confirmedMs: { p50: 900, p99: 1_501 } }), 1_500)).toBe(false);
    expect(floorSustained(floorRun(200, { confirmedInWindow: 0, confirmedMs: { p50: null, p99: null } }), 1_500)).toBe(false);
  });
});

describe('the steps of both systems', () => {
  it('lists every rate either reached, lowest first, with a blank side where one had stopped', () => {
    const floor = [floorRun(50), floorRun(100), floorRun(200)].map((run, i) => ({ ...run, sustained: i < 2 }));
    const payflow = [
      { ...payflowRun(50), sustained: true },
      { ...payflowRun(100), sustained: false },
    ];
    const steps = compareSteps(floor, payflow);
    expect(steps.map((s) => s.rate)).toEqual([50, 100, 200]);
    expect(steps[1]?.sustained).toEqual({ floor: true, payflow: false });
    expect(steps[2]?.pipeline).toEqual({ floor: 6.37, payflow: null, ratio: null });
    expect(steps[2]?.errors.payflow).toBeNull();
  });
});

describe('versusFloor', () => {
  it("compares the floor's runs with the improved flow's, never the current flow's", () => {
    const floor: FloorResults = { dir: '/f', work: '/w', warmUpS: 30, steady: floorRun(100) };
    const sync = { ...payflowRun(100, 0.5), flow: 'sync' } as FlowSummary;
    const versus = versusFloor(floor, { steady: [sync, payflowRun(100)] as never });
    expect(versus.steady?.pipeline.payflow).toBe(12.93);
    expect(versus.step).toBeUndefined();
  });
});
