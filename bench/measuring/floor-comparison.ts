/**
 * payflow's figures over the floor's, at the same rate in the same sitting: what payflow's own
 * features cost on top of what its libraries need (issue 23 targets a pipeline within 1.3 × of
 * the floor). Pure: the floor's runs come from bench/scenarios/floor.ts, payflow's from its scenarios.
 */
import type { SteadySummary } from '../scenarios/steady.js';
import type { StepResult } from '../scenarios/step.js';
import type { FloorRun } from './floor-result.js';
import type { FlowSummary } from './summary.js';

/** The pipeline's processes, as the floor and as payflow name them, in the order of the tables. */
export const COMPARED_PROCESSES = [
  { name: 'BFF', floor: 'bff', payflow: 'bff' },
  { name: 'billing worker', floor: 'billing', payflow: 'billing-worker' },
  { name: 'order worker', floor: 'order', payflow: 'order-worker' },
  { name: 'Kafka', floor: 'kafka', payflow: 'kafka' },
  { name: 'Redis', floor: 'redis', payflow: 'redis' },
] as const;

export interface FigurePair {
  floor: number | null;
  payflow: number | null;
  /** payflow / floor; null when either has no figure or the floor's is 0. */
  ratio: number | null;
}

/** ms of CPU per payment and latencies of both systems at one offered rate. */
export interface FloorComparison {
  rate: number;
  processes: ({ name: string } & FigurePair)[];
  /** BFF + workers + Kafka + Redis. */
  pipeline: FigurePair;
  firstAnswer: { p50: FigurePair; p99: FigurePair };
  /** The floor's shopper sees `confirmed`; payflow's is signed in: the confirmed snapshot with its SSO token in hand. */
  confirmed: { p50: FigurePair; p99: FigurePair };
  /** Shoppers who failed, of all that arrived (the floor counts its warm-up's too); null for a system not run at this rate. */
  errors: { floor: { failed: number; of: number } | null; payflow: { failed: number; of: number } | null };
  /** Whether each sustained the rate, in the step scenario; null elsewhere, or for a system not run at this rate. */
  sustained: { floor: boolean | null; payflow: boolean | null };
}

/** A floor step, and whether the floor sustained it by payflow's own rule. */
export type FloorStep = FloorRun & { sustained: boolean };

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const nullable = (value: number | null | undefined, digits: number) => (value === null || value === undefined ? null : round(value, digits));

function pair(floor: number | null | undefined, payflow: number | null | undefined, digits: number): FigurePair {
  const ratio = floor === null || floor === undefined || floor === 0 || payflow === null || payflow === undefined ? null : round(payflow / floor, 2);
  return { floor: nullable(floor, digits), payflow: nullable(payflow, digits), ratio };
}

/**
 * A step is sustained as payflow's is (bench/scenarios/step.ts stepUp): nothing failed and the p99 to
 * the outcome stays within the bound. The floor sheds nothing, so there is no shed count to check.
 */
export function floorSustained(run: FloorRun, p99BoundMs: number): boolean {
  return run.errors === 0 && run.confirmedInWindow > 0 && run.confirmedMs.p99 !== null && run.confirmedMs.p99 <= p99BoundMs;
}

/** Both systems at `rate`; either may be missing (a step one of them never reached). */
export function compareWithFloor(
  rate: number,
  floor: FloorRun | undefined,
  payflow: FlowSummary | undefined,
  sustained: FloorComparison['sustained'] = { floor: null, payflow: null },
): FloorComparison {
  const payflowMs = (name: string) => payflow?.cpu.processes.find((p) => p.name === name)?.msPerPayment;
  const latency = (floorMs: { p50: number | null; p99: number | null } | undefined, payflowMs: { p50: number; p99: number } | undefined) => ({
    p50: pair(floorMs?.p50, payflowMs?.p50, 1),
    p99: pair(floorMs?.p99, payflowMs?.p99, 1),
  });
  return {
    rate,
    processes: COMPARED_PROCESSES.map((p) => ({ name: p.name, ...pair(floor?.cpuMsPerPayment[p.floor], payflowMs(p.payflow), 2) })),
    pipeline: pair(floor?.pipelineMsPerPayment, payflow?.cpu.totals.pipeline, 2),
    firstAnswer: latency(floor?.firstAnswerMs, payflow?.firstAnswer),
    confirmed: latency(floor?.confirmedMs, payflow?.signedInLatency),
    errors: {
      floor: floor === undefined ? null : { failed: floor.errors, of: floor.shoppers },
      payflow: payflow === undefined ? null : { failed: payflow.errorCount + payflow.shed, of: payflow.offered },
    },
    sustained,
  };
}

/** Every rate either system was run at in the step scenario, lowest first. */
export function compareSteps(floor: FloorStep[], payflow: (FlowSummary & { sustained: boolean })[]): FloorComparison[] {
  const rates = [...new Set([...floor.map((s) => s.rate), ...payflow.map((s) => s.offeredRate)])].sort((a, b) => a - b);
  return rates.map((rate) => {
    const floorStep = floor.find((s) => s.rate === rate);
    const payflowStep = payflow.find((s) => s.offeredRate === rate);
    return compareWithFloor(rate, floorStep, payflowStep, { floor: floorStep?.sustained ?? null, payflow: payflowStep?.sustained ?? null });
  });
}

/** What `--floor` adds to latest.json, under `floor`. */
export interface FloorResults {
  /** The floor's folder, and the copy it ran from (its logs/ are there). */
  dir: string;
  work: string;
  /** Seconds each floor run was warmed at half its rate before its window. */
  warmUpS: number;
  steady?: FloorRun;
  step?: { steps: FloorStep[]; maxSustainedRate: number | null };
  /** payflow's improved flow over the floor, once payflow has run. */
  versus?: { steady?: FloorComparison; step?: FloorComparison[] };
}

/**
 * The comparisons of the floor's runs with the improved flow's runs of the same scenarios. It takes
 * the scenarios' figures, not the whole of BenchResults, which holds FloorResults itself.
 */
export function versusFloor(floor: FloorResults, payflow: { steady?: SteadySummary[]; step?: { flows: StepResult[] } }): NonNullable<FloorResults['versus']> {
  const steady = payflow.steady?.find((s) => s.flow === 'async');
  const steps = payflow.step?.flows.find((f) => f.flow === 'async')?.steps ?? [];
  return {
    ...(floor.steady === undefined ? {} : { steady: compareWithFloor(floor.steady.rate, floor.steady, steady) }),
    ...(floor.step === undefined ? {} : { step: compareSteps(floor.step.steps, steps) }),
  };
}
